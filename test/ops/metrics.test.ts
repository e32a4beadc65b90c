// GET /metrics after real traffic: queue counts per queue and state, workers per class, build
// durations from the workers' own buildMs, and queues still reported once their workers are gone
// (also by another API replica that never saw them served).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { buildApp } from '../../api/app.js';
import { engine } from '../../shared/engine/addon.js';
import { seedFullyConnected, seedInput } from '../farm/seed.js';
import { farmForSuite } from '../farm/suite-farm.js';
import type { TestFarm } from '../farm/test-farm.js';
import { parseSamples, valueOf, type Sample } from './prometheus-text.js';

async function scrape(farm: TestFarm): Promise<Sample[]> {
  const answer = await farm.get('/metrics');
  assert.equal(answer.statusCode, 200, answer.body);
  assert.match(String(answer.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  return parseSamples(answer.body);
}

// Until `check` holds for a scrape (completion events reach the API asynchronously).
async function scrapeUntil(farm: TestFarm, check: (samples: Sample[]) => boolean): Promise<Sample[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const samples = await scrape(farm);
    if (check(samples) || Date.now() > deadline) return samples;
    await sleep(100);
  }
}

describe('/metrics', () => {
  let farm: TestFarm;
  farmForSuite((f) => (farm = f));

  it('counts jobs per queue and state, live workers per class, and build durations per backend and precision', async () => {
    const fp32 = await farm.build(seedFullyConnected);
    const fp16 = await farm.build({ ...seedFullyConnected, precision: 'fp16' });
    const inferences = 3;
    for (let i = 0; i < inferences; i++) {
      const answer = await farm.post('/v1/infer?wait=10000', { plan: fp32.plan.id, inputs: { x: seedInput } });
      assert.equal(answer.json().status, 'completed', answer.body);
    }
    const buildQueue = (await farm.cpuQueue('build')).name;
    const inferQueue = (await farm.cpuQueue('infer')).name;
    const histogram = 'trtfarm_build_duration_seconds_count';
    const samples = await scrapeUntil(
      farm,
      (s) => valueOf(s, histogram, { precision: 'fp32' }) === 1 && valueOf(s, histogram, { precision: 'fp16' }) === 1,
    );

    assert.equal(valueOf(samples, 'trtfarm_queue_jobs', { queue: buildQueue, state: 'completed' }), 2);
    assert.equal(valueOf(samples, 'trtfarm_queue_jobs', { queue: buildQueue, state: 'failed' }), 0);
    assert.equal(valueOf(samples, 'trtfarm_queue_jobs', { queue: inferQueue, state: 'completed' }), inferences);
    assert.equal(valueOf(samples, 'trtfarm_queue_jobs', { queue: inferQueue, state: 'waiting' }), 0);
    assert.equal(valueOf(samples, 'trtfarm_workers', { backend: 'cpu', compat_key: fp32.plan.compatKey }), 1);

    for (const built of [fp32, fp16]) {
      const labels = { backend: 'cpu', precision: built.plan.precision };
      assert.equal(valueOf(samples, histogram, labels), 1);
      const seconds = valueOf(samples, 'trtfarm_build_duration_seconds_sum', labels)!;
      assert.ok(Math.abs(seconds - built.plan.buildMs / 1000) < 1e-9, `${seconds} s vs buildMs ${built.plan.buildMs}`);
      assert.equal(valueOf(samples, 'trtfarm_build_duration_seconds_bucket', { ...labels, le: '+Inf' }), 1);
    }
  });

});

describe("/metrics: Triton's inference series", () => {
  let farm: TestFarm;
  farmForSuite((f) => (farm = f));

  it('counts KServe v2 requests per model as Triton does: successes, REJECTED failures, rows, executions, durations', async () => {
    const plan = (await farm.build(seedFullyConnected)).plan.id;
    const good = { inputs: [{ name: 'x', shape: seedInput.shape, datatype: 'FP32', data: seedInput.data }] };
    const requests = 3;
    for (let i = 0; i < requests; i++) assert.equal((await farm.post(`/v2/models/${plan}/infer`, good)).statusCode, 200);
    const bad = { inputs: [{ name: 'x', shape: seedInput.shape, datatype: 'FP32', data: [1, 2] }] };
    assert.equal((await farm.post(`/v2/models/${plan}/infer`, bad)).statusCode, 400);

    const samples = await scrape(farm);
    const model = { model: plan, version: '1' };
    assert.equal(valueOf(samples, 'nv_inference_request_success', model), requests);
    assert.equal(valueOf(samples, 'nv_inference_request_failure', { ...model, reason: 'REJECTED' }), 1);
    assert.equal(valueOf(samples, 'nv_inference_request_failure', { ...model, reason: 'BACKEND' }), 0);
    assert.equal(valueOf(samples, 'nv_inference_count', model), requests, 'one row each');
    assert.equal(valueOf(samples, 'nv_inference_exec_count', model), requests, 'sent one after the other: one execution each');
    // The same figures as the model's KServe statistics, in whole microseconds.
    const stats = (await farm.get(`/v2/models/${plan}/stats`)).json().model_stats[0].inference_stats;
    assert.equal(valueOf(samples, 'nv_inference_request_duration_us', model), Math.floor(stats.success.ns / 1000));
    assert.equal(valueOf(samples, 'nv_inference_queue_duration_us', model), Math.floor(stats.queue.ns / 1000));
    assert.equal(valueOf(samples, 'nv_inference_compute_infer_duration_us', model), Math.floor(stats.compute_infer.ns / 1000));
    assert.ok(stats.compute_infer.ns > 0 && stats.success.ns >= stats.compute_infer.ns);
  });
});

describe('/metrics once the workers are gone', () => {
  let farm: TestFarm;
  farmForSuite((f) => (farm = f), { worker: false });

  it('keeps reporting a queue whose workers died, also from an API started after that', async () => {
    const worker = await farm.spawnWorker();
    const built = await farm.build(seedFullyConnected);
    const buildQueue = (await farm.cpuQueue('build')).name;
    // Seen served once (a scrape), then the worker dies.
    assert.equal(valueOf(await scrape(farm), 'trtfarm_workers', { backend: 'cpu', compat_key: built.plan.compatKey }), 1);
    worker.process.kill('SIGKILL');
    await farm.waitForWorkers(0, 5_000);
    const later = await buildApp({ config: farm.config, engine, logger: false });
    try {
      for (const app of [farm.app, later]) {
        const samples = parseSamples((await app.inject({ method: 'GET', url: '/metrics' })).body);
        assert.equal(valueOf(samples, 'trtfarm_queue_jobs', { queue: buildQueue, state: 'completed' }), 1);
        assert.equal(valueOf(samples, 'trtfarm_queue_jobs', { queue: buildQueue.replace(/^build/, 'infer'), state: 'waiting' }), 0);
        assert.equal(samples.filter((s) => s.name === 'trtfarm_workers').length, 0, 'no live worker, no class counted');
      }
    } finally {
      await later.close();
    }
  });
});
