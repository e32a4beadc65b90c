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

// One autotuning winner of the fleet-wide timing cache: `key` names what was timed (layer kind
// and shape, precision, rows; without the compatKey, which the caller prefixes), `tactic` is
// opaque to everything but the backend that made it.
export interface TimingCacheEntry {
  key: string;
  tactic: string;
}

// Bounds on a build's cost, checked from shapes before the build starts (validate() too): over
// one, E_NETWORK with a message naming it. Absent: unlimited (shared/network/limits.ts has the
// farm's values).
export interface BuildLimits {
  planBytes?: number; // weights the plan stores, after constant folding and fusion
  foldedBytes?: number; // fp32 constants that constant folding computes
  foldFlops?: number; // arithmetic of constant folding (2 per multiply-add)
}

export interface EngineBuildOptions extends BuildOptions {
  // Read before timing: a layer whose key is here is not autotuned (cuda; others ignore it).
  timingCache?: TimingCacheEntry[];
  limits?: BuildLimits;
}

export interface BuildResult {
  plan: Buffer;
  info: PlanInfo;
  buildMs: number;
  // cuda builds: every winner of this build (cached ones too, one per key), and how many of the
  // plan's tactics were not timed but taken from options.timingCache (or inherited as such
  // through reuseTacticsFrom).
  timingCache?: { entries: TimingCacheEntry[]; hits: number };
}

export interface Engine {
  readonly info: PlanInfo;
  // Rejects with code E_INPUT for wrong names, counts or shapes, or a batch outside the profile.
  // The engine reads each input's data where it is (any view, any byteOffset) while the call
  // runs: do not change, transfer or resize it until the promise settles. Each call answers with
  // new output arrays of its own. Concurrent calls run concurrently (cuda: on a pool of execution
  // contexts, TRTFARM_CUDA_CONTEXTS); dispose() lets calls already made finish.
  infer(inputs: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  dispose(): void;
}

// Every error thrown by the addon carries one of these codes. E_NETWORK, E_INPUT, E_PLAN and
// E_COMPAT are the caller's fault (4xx, never retried); E_BACKEND and E_RUNTIME are the machine's;
// E_CANCELLED: the build's AbortSignal fired.
export type EngineErrorCode = 'E_NETWORK' | 'E_INPUT' | 'E_PLAN' | 'E_COMPAT' | 'E_BACKEND' | 'E_RUNTIME' | 'E_CANCELLED';

export interface ValidatedNetwork {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
}

export interface EngineAddon {
  backends(): BackendStatus[];
  // Synchronous and cheap (shape inference only): what the API calls before enqueueing.
  validate(network: NetworkSpec, options: EngineBuildOptions): ValidatedNetwork;
  // The same for several builds of one network (a sweep's variants), converted once: one result
  // per options, in order; the first that fails throws.
  validate(network: NetworkSpec, options: EngineBuildOptions[]): ValidatedNetwork[];
  // Off the JS thread. onProgress gets a fraction in [0, 1] and a stage name. Aborting `signal`
  // rejects with E_CANCELLED within one step of the build (a pass, a folded row, an autotuning
  // candidate), freeing its thread; an already aborted signal rejects at once.
  build(
    network: NetworkSpec,
    options: EngineBuildOptions,
    onProgress?: (fraction: number, stage: string) => void,
    control?: { signal?: AbortSignal },
  ): Promise<BuildResult>;
  inspectPlan(plan: Uint8Array): PlanInfo;
  // Off the JS thread: the bare TensorRT engine inside a tensorrt plan (E_PLAN for a plan of another backend).
  tensorrtEngine(plan: Uint8Array): Promise<Buffer>;
  // The plan is read in place, off the JS thread: leave its bytes unchanged until this settles.
  loadEngine(plan: Uint8Array, options?: { device?: number }): Promise<Engine>;
}
