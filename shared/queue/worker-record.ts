// A live worker as it announces itself in Redis: one key per worker with a TTL a few
// heartbeats long, so a worker that dies (even by SIGKILL) disappears from the list by itself.
import type { BackendName } from '../network/spec.js';
import type { DeviceInfo } from '../engine/types.js';

export interface ServedClass {
  backend: BackendName;
  compatKey: string;
  // A wider class this worker also runs (a tensorrt hardware- or version-compatible key):
  // inferences only; builds go to the worker's own classes.
  portable?: boolean;
}

export interface WorkerRecord {
  id: string;
  backend: BackendName; // the best of `serves`
  device: Omit<DeviceInfo, 'index'> & { index: number | 'cpu' };
  serves: ServedClass[];
  queues: string[];
  versions: Record<string, string>;
  host: string;
  pid: number;
  startedAt: string;
  lastSeen: string;
}
