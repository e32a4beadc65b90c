// Dynamic batching: concurrent requests for one plan travel in one job and run stacked in one
// engine call, and each caller gets exactly its own rows back — bit for bit what the engine
// gives the request alone (cpu). Mixed batch sizes split right, plans of fixed batch run each
// request alone, a bad request fails alone, and non-finite outputs are never answered as JSON.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { loadConfig } from '../../shared/config.js';
import { farmKeys } from '../../shared/queue/names.js';
import { engine } from '../../shared/engine/addon.js';
import type { Engine, Tensor } from '../../shared/engine/types.js';
import { RowStacker } from '../../worker/row-stacker.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { randomValues, seedFullyConnected, seedInput } from './seed.js';
import { TestFarm } from './test-farm.js';

const WIDTH = 16;
const mlp = {
  network: {
    inputs: [{ name: 'x', shape: [-1, WIDTH] }],
    layers: [
      { name: 'fc1', type: 'fullyConnected', outputs: 32, weights: randomValues(32 * WIDTH), bias: randomValues(32) },
      { name: 'act', type: 'activation', kind: 'gelu' },
      { name: 'fc2', type: 'fullyConnected', outputs: 3, weights: randomValues(3 * 32), bias: randomValues(3) },
    ],
  },
  profile: { x: { min: [1, WIDTH], opt: [8, WIDTH], max: [16, WIDTH] } },
};

describe('dynamic batching', () => {
  let redis: TestRedis;
  let farm: TestFarm;
  let plan: string;
  let alone: Engine; // the same plan, loaded here: what each request gives unbatched

  before(async () => {
    redis = await startTestRedis();
    // A long delay, so that the concurrent requests of a test surely share jobs.
    farm = await TestFarm.start(redis, { TRTFARM_BATCH_DELAY_US: '20000' });
    await farm.startWorker();
    plan = (await farm.build(mlp)).plan.id;
    alone = await engine.loadEngine((await farm.store().get(plan))!);
  });
  after(async () => {
    alone.dispose();
    await farm.stop();
    await redis.stop();
  });

  const stats = async () => (await farm.get(`/v2/models/${plan}/stats`)).json().model_stats[0];

  it('answers concurrent requests of mixed batch sizes with exactly what each gives alone, in fewer engine calls', async () => {
    const before = await stats();
    const requests = Array.from({ length: 24 }, (_, i) => {
      const rows = 1 + (i % 4);
      return { shape: [rows, WIDTH], data: randomValues(rows * WIDTH) };
    });
    const answers = await Promise.all(requests.map((x) => farm.post('/v1/infer?wait=20000', { plan, inputs: { x } })));
    for (const [i, answer] of answers.entries()) {
      assert.equal(answer.statusCode, 200, answer.body);
      const expected = await alone.infer({ x: { shape: requests[i].shape, data: Float32Array.from(requests[i].data) } });
      const got = answer.json().outputs.fc2;
      assert.deepEqual(got.shape, expected.fc2.shape, `request ${i}`);
      // Bit for bit: float32 values written as JSON numbers and read back are the same floats.
      assert.deepEqual(Float32Array.from(got.data), expected.fc2.data, `request ${i}`);
    }
    const ids = answers.map((answer) => answer.json().id as string);
    assert.equal(new Set(ids).size, ids.length, 'every request has its own id');
    const jobs = new Set(ids.map((id) => id.slice(0, id.lastIndexOf('.'))));
    assert.ok(jobs.size < ids.length, `the requests went in ${jobs.size} jobs for ${ids.length} requests`);

    const after = await stats();
    const rows = requests.reduce((sum, x) => sum + x.shape[0], 0);
    assert.equal(after.inference_count - before.inference_count, rows);
    assert.equal(after.inference_stats.success.count - before.inference_stats.success.count, 24);
    const executions = after.execution_count - before.execution_count;
    assert.ok(executions < 24 && executions >= Math.ceil(rows / 16), `${executions} engine calls for ${rows} rows`);
    assert.ok(after.batch_stats.some((b: { batch_size: number }) => b.batch_size > 4), 'some call stacked several requests');

    // Each id reads back its own rows later.
    for (const [i, id] of ids.entries()) {
      const polled = (await farm.get(`/v1/infer/${id}`)).json();
      assert.deepEqual(polled.outputs, answers[i].json().outputs, id);
    }
  });

  it('fails a bad request alone (400 with its message) while the requests batched with it succeed', async () => {
    const good = () => ({ shape: [2, WIDTH], data: randomValues(2 * WIDTH) });
    const bad = { shape: [2, WIDTH], data: randomValues(2 * WIDTH - 1) };
    const answers = await Promise.all([good(), bad, good(), good()].map((x) => farm.post('/v1/infer?wait=20000', { plan, inputs: { x } })));
    assert.equal(answers[1].statusCode, 400);
    assert.match(answers[1].json().message, /needs 32 values, data has 31/);
    for (const i of [0, 2, 3]) assert.equal(answers[i].json().status, 'completed', answers[i].body);
  });

  it('runs requests to a plan of fixed batch each alone, in shared jobs', async () => {
    const seedPlan = (await farm.build(seedFullyConnected)).plan.id;
    const inputs = Array.from({ length: 10 }, () => seedInput.data.map((v) => v * Math.fround(Math.random())));
    const answers = await Promise.all(inputs.map((data) => farm.post('/v1/infer?wait=20000', { plan: seedPlan, inputs: { x: { shape: [1, 3, 4, 5], data } } })));
    for (const [i, answer] of answers.entries()) {
      const sum = Math.fround(inputs[i].reduce((a, b) => a + b, 0));
      const [plus, minus] = answer.json().outputs.fc.data;
      assert.ok(Math.abs(plus - sum) <= 1e-5 * Math.abs(sum) && plus === -minus, `request ${i}: ${plus}, ${minus}, expected ±${sum}`);
    }
    const seedStats = (await farm.get(`/v2/models/${seedPlan}/stats`)).json().model_stats[0];
    assert.deepEqual(seedStats.batch_stats.map((b: { batch_size: number }) => b.batch_size), [1]);
    assert.equal(seedStats.execution_count, 10);
  });

  it('deletes a job\'s outputs once its v2 callers have them, and keeps those a v1 caller may read again by id', async () => {
    const outputKeys = async () => (await farm.app.farm.redis.keys(farmKeys.inferOutputs(farm.config.queuePrefix, '*'))).length;
    const v2 = { inputs: [{ name: 'x', shape: [1, WIDTH], datatype: 'FP32', data: randomValues(WIDTH) }] };
    const kept = await outputKeys();
    const answers = await Promise.all(Array.from({ length: 6 }, () => farm.post(`/v2/models/${plan}/infer`, v2)));
    for (const answer of answers) assert.equal(answer.statusCode, 200, answer.body);
    assert.equal(await outputKeys(), kept);

    const v1 = await farm.post('/v1/infer?wait=20000', { plan, inputs: { x: { shape: [1, WIDTH], data: randomValues(WIDTH) } } });
    assert.equal(v1.statusCode, 200, v1.body);
    assert.equal(await outputKeys(), kept + 1);
    const again = await farm.get(`/v1/infer/${v1.json().id}`);
    assert.deepEqual(again.json().outputs, v1.json().outputs);
  });

  it('answers an output that overflows to Infinity as an error naming it in JSON, and as the exact bits in binary', async () => {
    const seedPlan = (await farm.build(seedFullyConnected)).plan.id;
    const huge = { shape: [1, 3, 4, 5], data: Array(60).fill(3e38) };
    const v1 = await farm.post('/v1/infer?wait=20000', { plan: seedPlan, inputs: { x: huge } });
    assert.equal(v1.statusCode, 200, v1.body);
    assert.equal(v1.json().status, 'failed');
    assert.match(v1.json().error.message, /^output "fc"\[0\] is Infinity, which JSON cannot carry/);
    assert.equal((await farm.get(`/v1/infer/${v1.json().id}`)).json().status, 'failed');

    const input = { name: 'x', shape: [1, 3, 4, 5], datatype: 'FP32', data: huge.data };
    const json = await farm.post(`/v2/models/${seedPlan}/infer`, { inputs: [input] });
    assert.equal(json.statusCode, 400, json.body);
    assert.match(json.json().error, /^output "fc"\[0\] is Infinity/);

    const binary = await farm.post(`/v2/models/${seedPlan}/infer`, { inputs: [input], parameters: { binary_data_output: true } });
    assert.equal(binary.statusCode, 200, binary.body);
    const headerLength = Number(binary.headers['inference-header-content-length']);
    const bytes = binary.rawPayload.subarray(headerLength);
    assert.deepEqual([bytes.readFloatLE(0), bytes.readFloatLE(4)], [Infinity, -Infinity]);
  });
});

describe('a KServe v2 request that outlives its wait', () => {
  it('answers 504 naming its id, and GET /v1/infer/:id has its outputs once the job finished', async () => {
    const redis = await startTestRedis();
    const farm = await TestFarm.start(redis, { TRTFARM_MAX_WAIT_MS: '300', TRTFARM_TEST_INFER_DELAY_MS: '800' });
    try {
      await farm.startWorker();
      const plan = (await farm.build(seedFullyConnected)).plan.id;
      const late = await farm.post(`/v2/models/${plan}/infer`, { inputs: [{ name: 'x', shape: [1, 3, 4, 5], datatype: 'FP32', data: seedInput.data }] });
      assert.equal(late.statusCode, 504, late.body);
      const id = /GET \/v1\/infer\/(\S+) has it later/.exec(late.json().error)?.[1];
      assert.ok(id, late.body);
      const result = await farm.waitForInference(id);
      assert.deepEqual(result.outputs.fc.data, [1770, -1770]);
    } finally {
      await farm.stop();
      await redis.stop();
    }
  });
});

describe('the worker\'s row stacker', () => {
  let engineOfPlan: Engine;
  before(async () => {
    const built = await engine.build(
      { inputs: [{ name: 'x', shape: [-1, 4] }], layers: [{ name: 'y', type: 'fullyConnected', outputs: 2, weights: Float32Array.from(randomValues(8)) }] },
      { backend: 'cpu', precision: 'fp32', profile: { x: { min: [1, 4], opt: [4, 4], max: [8, 4] } } },
    );
    engineOfPlan = await engine.loadEngine(built.plan);
  });
  after(() => engineOfPlan.dispose());

  it('stacks requests waiting at once into calls of at most the max batch, and a request the engine refuses fails alone', async () => {
    const stacker = new RowStacker(true);
    const tensor = (rows: number, count = rows * 4): Tensor => ({ shape: [rows, 4], data: Float32Array.from(randomValues(count)) });
    const requests = [tensor(3), tensor(2), tensor(2, 7), tensor(4), tensor(1), tensor(5)];
    const outcomes = await Promise.all(requests.map((x) => stacker.run(engineOfPlan, { x })));
    for (const [i, outcome] of outcomes.entries()) {
      if (i === 2) {
        assert.ok('error' in outcome, 'the request with 7 values for shape [2,4] fails');
        assert.match(outcome.error, /x/);
        continue;
      }
      assert.ok('outputs' in outcome, `request ${i}: ${JSON.stringify(outcome)}`);
      assert.ok(outcome.batch <= 8 && outcome.batch >= outcome.rows);
      const expected = await engineOfPlan.infer({ x: requests[i] });
      assert.deepEqual(outcome.outputs.y.shape, [requests[i].shape[0], 2]);
      assert.deepEqual(Float32Array.from(outcome.outputs.y.data), expected.y.data);
    }
    assert.ok(outcomes.some((outcome) => 'outputs' in outcome && outcome.batch > outcome.rows), 'some requests ran stacked');
  });
});

describe('batching settings', () => {
  for (const [name, value] of [['TRTFARM_BATCH_DELAY_US', '-1'], ['TRTFARM_BATCH_DELAY_US', '1.5'], ['TRTFARM_BATCH_DELAY_US', '1000001'], ['TRTFARM_BATCHING', 'yes']]) {
    it(`refuses ${name}=${value}, naming it`, () => {
      assert.throws(() => loadConfig({ [name]: value }), new RegExp(`^ConfigError: invalid configuration: ${name}: `));
    });
  }

  it('defaults to batching on with a delay under a millisecond; 0 and off are accepted', () => {
    const config = loadConfig({});
    assert.equal(config.batching, true);
    assert.ok(config.batchDelayUs > 0 && config.batchDelayUs < 1000);
    assert.equal(loadConfig({ TRTFARM_BATCH_DELAY_US: '0' }).batchDelayUs, 0);
    assert.equal(loadConfig({ TRTFARM_BATCHING: 'off' }).batching, false);
  });
});
