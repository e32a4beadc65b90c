// The network as the engine receives it: the contract's JSON after parsing
// (shared/network/schema.ts), with tensor data decoded to Float32Array and `input`
// folded into `inputs`. Graph semantics (defaults for omitted inputs/outputs, shape
// inference, counts) are the native core's: it is the one place that checks them.

// fp8: e4m3 FC weights with per-channel scales, fp16 activations; the cuda backend only.
export type Precision = 'fp32' | 'tf32' | 'fp16' | 'bf16' | 'fp8';
export type BackendName = 'cpu' | 'cuda' | 'tensorrt';
export type ActivationKind = 'relu' | 'sigmoid' | 'tanh' | 'gelu' | 'leakyRelu';
export type ElementWiseOp = 'sum' | 'prod' | 'sub' | 'max' | 'min';

export interface InputSpec {
  name: string;
  shape: number[]; // -1 only in dimension 0
}

interface LayerBase {
  name: string;
  inputs?: string[]; // omitted: the previous layer's output (the first layer: the first network input)
}

export interface FullyConnectedLayer extends LayerBase {
  type: 'fullyConnected';
  outputs: number;
  weights: Float32Array; // outputs × K, row-major
  bias?: Float32Array; // outputs
}

export interface ConstantLayer extends LayerBase {
  type: 'constant';
  shape: number[];
  values: Float32Array;
}

export interface MatrixMultiplyLayer extends LayerBase {
  type: 'matrixMultiply';
  transpose?: [boolean, boolean];
}

export interface ElementWiseLayer extends LayerBase {
  type: 'elementWise';
  op: ElementWiseOp;
}

export interface ActivationLayer extends LayerBase {
  type: 'activation';
  kind: ActivationKind;
  alpha?: number;
}

export interface ReshapeLayer extends LayerBase {
  type: 'reshape';
  shape: number[]; // 0 copies the input's dimension, -1 is inferred
}

export type LayerSpec =
  | FullyConnectedLayer
  | ConstantLayer
  | MatrixMultiplyLayer
  | ElementWiseLayer
  | ActivationLayer
  | ReshapeLayer;

export interface NetworkSpec {
  inputs: InputSpec[];
  layers: LayerSpec[];
  outputs?: string[]; // omitted: the last layer
}

export interface ProfileRange {
  min: number[];
  opt: number[];
  max: number[];
}

export type HardwareCompatibility = 'none' | 'ampere+' | 'sameComputeCapability';

// tensorrt only: engines that run beyond the building GPU (hardwareCompatibility) or TensorRT
// release (versionCompatible: on this one and later ones, at least within its major). Both widen the plan's
// compatKey (sm_80+, trt10.16.0+) and cost speed.
export interface TensorrtBuildOptions {
  versionCompatible?: boolean;
  hardwareCompatibility?: HardwareCompatibility;
}

export interface BuildOptions {
  precision: Precision;
  profile?: Record<string, ProfileRange>;
  backend: BackendName;
  tensorrt?: TensorrtBuildOptions;
  device?: number;
  // An earlier plan of the same program and backend: its autotuning choices are reused instead
  // of timed again, so the rebuild gives the same plan bytes (TensorRT's timing cache, per plan).
  reuseTacticsFrom?: Uint8Array;
}
