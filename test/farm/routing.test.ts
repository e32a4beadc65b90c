import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { queueName } from '../../shared/queue/names.js';
import { checkInferRoute, routeBuild, RoutingError } from '../../shared/queue/routing.js';
import type { ServedClass, WorkerRecord } from '../../shared/queue/worker-record.js';

const worker = (id: string, serves: ServedClass[]): WorkerRecord => ({
  id,
  backend: serves[0].backend,
  device: { index: 0, name: id },
  serves,
  queues: [],
  versions: {},
  host: 'h',
  pid: 1,
  startedAt: '',
  lastSeen: '',
});
const cpu = { backend: 'cpu', compatKey: 'cpu:x86_64' } as const;
const sm90 = { backend: 'cuda', compatKey: 'cuda:sm_90:cuda13.0' } as const;
const sm80 = { backend: 'cuda', compatKey: 'cuda:sm_80:cuda13.0' } as const;
const trt = { backend: 'tensorrt', compatKey: 'tensorrt:sm_90:trt10' } as const;

describe('routing', () => {
  it('sends auto to the best backend a live worker serves: tensorrt, then cuda, then cpu', () => {
    assert.deepEqual(routeBuild([worker('a', [cpu])], 'auto'), cpu);
    assert.deepEqual(routeBuild([worker('a', [cpu]), worker('b', [sm90])], 'auto'), sm90);
    assert.deepEqual(routeBuild([worker('a', [sm90]), worker('b', [trt, sm90])], 'auto'), trt);
  });

  it('picks the class of a backend with the most live workers', () => {
    const workers = [worker('a', [sm80]), worker('b', [sm80]), worker('c', [sm90])];
    assert.deepEqual(routeBuild(workers, 'cuda'), sm80);
  });

  it('refuses with 503 when no worker is alive and 422 when none serves the backend', () => {
    assert.throws(() => routeBuild([], 'auto'), (e: RoutingError) => e.kind === 'unavailable');
    assert.throws(() => routeBuild([worker('a', [cpu])], 'cuda'), (e: RoutingError) => e.kind === 'unsupported' && /serve: cpu/.test(e.message));
  });

  it('sends fp8 only to cuda: auto skips tensorrt and cpu, a cpu-only farm and an explicit cpu are unsupported (422)', () => {
    assert.deepEqual(routeBuild([worker('a', [trt, sm90]), worker('b', [cpu])], 'auto', 'fp8'), sm90);
    assert.throws(
      () => routeBuild([worker('a', [cpu])], 'auto', 'fp8'),
      (e: RoutingError) => e.kind === 'unsupported' && /fp8 is a cuda precision/.test(e.message) && /serve: cpu/.test(e.message),
    );
    assert.throws(
      () => routeBuild([worker('a', [cpu]), worker('b', [sm90])], 'cpu', 'fp8'),
      (e: RoutingError) => e.kind === 'unsupported' && /fp8 is a cuda precision/.test(e.message),
    );
    assert.deepEqual(routeBuild([worker('a', [cpu])], 'auto', 'fp16'), cpu);
  });

  it('routes an inference only where the plan\'s compatKey is served', () => {
    assert.doesNotThrow(() => checkInferRoute([worker('a', [sm90])], sm90.compatKey));
    assert.throws(() => checkInferRoute([worker('a', [sm80])], sm90.compatKey), (e: RoutingError) => e.kind === 'unavailable');
  });

  it("builds only in a worker's own classes; its portable tensorrt classes take inferences", () => {
    const own86 = { backend: 'tensorrt', compatKey: 'tensorrt:sm_86:trt10.16.0:cuda13.0' } as const;
    const own90 = { backend: 'tensorrt', compatKey: 'tensorrt:sm_90:trt10.16.0:cuda13.0' } as const;
    const ampere = { backend: 'tensorrt', compatKey: 'tensorrt:sm_80+:trt10.16.0:cuda13.0', portable: true } as const;
    // Two workers share the ampere+ class, one each their own: still an own class is picked.
    const workers = [worker('a', [own86, ampere]), worker('b', [own90, ampere])];
    assert.notEqual(routeBuild(workers, 'tensorrt').compatKey, ampere.compatKey);
    assert.doesNotThrow(() => checkInferRoute(workers, ampere.compatKey));
  });

  it('names queues by job kind and class, without the colons BullMQ forbids', () => {
    assert.equal(queueName('infer', sm90.compatKey), 'infer.cuda-sm_90-cuda13.0');
    assert.ok(!queueName('build', 'a:b c/d').includes(':'));
  });
});
