// Which class (compatKey) serves a request, from the live workers. The API asks before it
// enqueues, so that a request nobody can serve fails at once with a message instead of
// waiting forever in a queue no worker reads.
import type { BackendName, Precision } from '../network/spec.js';
import { BACKEND_PREFERENCE } from './names.js';
import type { ServedClass, WorkerRecord } from './worker-record.js';

// 'unavailable': nothing alive to serve it (an outage); 'unsupported': the farm is up but
// cannot do this. The API chooses the status.
export type RoutingKind = 'unavailable' | 'unsupported';

export class RoutingError extends Error {
  constructor(
    readonly kind: RoutingKind,
    message: string,
  ) {
    super(message);
  }
}

// The backends that compute each precision where not all do (fp8 is the cuda backend's own).
const PRECISION_BACKENDS: Partial<Record<Precision, readonly BackendName[]>> = { fp8: ['cuda'] };

export function routeBuild(workers: WorkerRecord[], backend: BackendName | 'auto', precision?: Precision): ServedClass {
  if (workers.length === 0) throw new RoutingError('unavailable', 'no worker is alive: start one with `npm run worker`');
  const capable = (precision && PRECISION_BACKENDS[precision]) ?? BACKEND_PREFERENCE;
  if (backend !== 'auto' && !capable.includes(backend)) {
    throw new RoutingError('unsupported', `${precision} is a ${capable.join('/')} precision: backend '${backend}' cannot build it`);
  }
  const wanted = backend === 'auto' ? BACKEND_PREFERENCE.filter((name) => capable.includes(name)) : [backend];
  for (const name of wanted) {
    const best = mostServed(workers, name);
    if (best) return best;
  }
  throw new RoutingError(
    'unsupported',
    `no live worker serves backend '${backend === 'auto' ? wanted.join("' or '") : backend}'${
      precision && PRECISION_BACKENDS[precision] ? ` (${precision} is a ${wanted.join('/')} precision)` : ''
    } (live workers serve: ${servedBackends(workers).join(', ')})`,
  );
}

export function checkInferRoute(workers: WorkerRecord[], compatKey: string): void {
  if (workers.some((worker) => worker.serves.some((served) => served.compatKey === compatKey))) return;
  throw new RoutingError(
    'unavailable',
    `no live worker can run this plan (it needs ${compatKey}; live workers serve: ${
      workers.flatMap((w) => w.serves.map((s) => s.compatKey)).join(', ') || 'none'
    })`,
  );
}

// The class of `backend` with the most live workers (ties: the last key, e.g. the newer SM).
function mostServed(workers: WorkerRecord[], backend: BackendName): ServedClass | undefined {
  const counts = new Map<string, number>();
  for (const worker of workers) {
    for (const served of worker.serves) {
      if (served.backend === backend && !served.portable) counts.set(served.compatKey, (counts.get(served.compatKey) ?? 0) + 1);
    }
  }
  const ranked = [...counts].sort(([keyA, a], [keyB, b]) => b - a || keyB.localeCompare(keyA));
  return ranked.length > 0 ? { backend, compatKey: ranked[0][0] } : undefined;
}

function servedBackends(workers: WorkerRecord[]): string[] {
  return [...new Set(workers.flatMap((worker) => worker.serves.map((served) => served.backend)))];
}
