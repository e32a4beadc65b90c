// The typed surface of the native addon (native/src/addon), implemented by shared/engine/addon.ts.
import type { BackendName, BuildOptions, NetworkSpec, Precision, ProfileRange } from '../network/spec.js';

export interface Tensor {
  shape: number[];
  data: Float32Array;
}

export interface TensorInfo {
  name: string;
  shape: number[]; // -1 for the dynamic batch
  dtype: 'float32';
}

export interface DeviceInfo {
  index: number;
  name: string;
  computeCapability?: string;
  memoryBytes?: number;
}

export interface BackendStatus {
  name: BackendName;
  compiled: boolean;
  available: boolean;
  reason?: string;
  version: string;
  devices: DeviceInfo[];
}

export interface PlanInfo {
  formatVersion: number;
  backend: BackendName;
  backendVersion: string;
  compatKey: string;
  precision: Precision;
  batch: { min: number; opt: number; max: number };
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  profile?: Record<string, ProfileRange>;
  tactics?: unknown; // the backend's summary of its autotuning choices
  bytes: number;
}

export interface BuildResult {
  plan: Buffer;
  info: PlanInfo;
  buildMs: number;
}

export interface Engine {
  readonly info: PlanInfo;
  // Rejects with code E_INPUT for wrong names, counts or shapes, or a batch outside the profile.
  infer(inputs: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  dispose(): void;
}

// Every error thrown by the addon carries one of these codes. E_NETWORK, E_INPUT, E_PLAN and
// E_COMPAT are the caller's fault (4xx, never retried); E_BACKEND and E_RUNTIME are the machine's.
export type EngineErrorCode = 'E_NETWORK' | 'E_INPUT' | 'E_PLAN' | 'E_COMPAT' | 'E_BACKEND' | 'E_RUNTIME';

export interface EngineAddon {
  backends(): BackendStatus[];
  // Synchronous and cheap (shape inference only): what the API calls before enqueueing.
  validate(network: NetworkSpec, options: BuildOptions): { inputs: TensorInfo[]; outputs: TensorInfo[] };
  // Off the JS thread. onProgress gets a fraction in [0, 1] and a stage name; aborting `signal`
  // cancels the build.
  build(
    network: NetworkSpec,
    options: BuildOptions,
    onProgress?: (fraction: number, stage: string) => void,
    control?: { signal?: AbortSignal },
  ): Promise<BuildResult>;
  inspectPlan(plan: Uint8Array): PlanInfo;
  loadEngine(plan: Uint8Array, options?: { device?: number }): Promise<Engine>;
}
