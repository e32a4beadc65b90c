// GET /v1/plans/:id/tensorrt: a tensorrt plan as a Triton model repository entry; any other
// plan refused with a message. The tensorrt plan here is made without TensorRT
// (test/helpers/tensorrt-plan.ts): its engine is random bytes, which is all the route reads.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

import { engine } from '../../shared/engine/addon.js';
import { tritonConfig } from '../../api/tensorrt/triton-config.js';
import { tensorrtPlanFrom } from '../helpers/tensorrt-plan.js';
import { seedFullyConnected } from './seed.js';
import { farmForSuite } from './suite-farm.js';
import type { TestFarm } from './test-farm.js';

const run = promisify(execFile);

describe('GET /v1/plans/:id/tensorrt', () => {
  let farm: TestFarm;
  farmForSuite((started) => (farm = started));

  async function cpuPlan(): Promise<{ id: string; bytes: Buffer }> {
    const build = await farm.build(seedFullyConnected);
    const bytes = (await farm.get(`/v1/plans/${build.plan.id}`)).rawPayload;
    return { id: build.plan.id, bytes };
  }

  async function storedTensorrtPlan(): Promise<{ id: string; engine: Buffer }> {
    const fake = tensorrtPlanFrom((await cpuPlan()).bytes, 'tensorrt:sm_90:trt10.16.0:cuda13.0');
    const { bytes: _bytes, ...info } = engine.inspectPlan(fake.plan);
    const meta = await farm.app.farm.store.put(fake.plan, { ...info, device: { name: 'a GPU' }, buildMs: 1, createdAt: new Date().toISOString() });
    return { id: meta.id, engine: fake.engine };
  }

  it('refuses a cpu plan with 409 naming its backend, for the tar and for each file', async () => {
    const { id } = await cpuPlan();
    for (const query of ['', '?file=model.plan', '?file=config.pbtxt']) {
      const answer = await farm.get(`/v1/plans/${id}/tensorrt${query}`);
      assert.equal(answer.statusCode, 409, answer.body);
      assert.match(answer.json().message, /built by the cpu backend: only tensorrt plans hold a TensorRT engine/);
    }
  });

  it('answers 404 for an unknown plan and 400 for a bad file or model name', async () => {
    const unknown = randomBytes(32).toString('hex');
    const missing = await farm.get(`/v1/plans/${unknown}/tensorrt`);
    assert.equal(missing.statusCode, 404, missing.body);
    assert.match(missing.json().message, new RegExp(`no plan ${unknown}`));
    const badFile = await farm.get(`/v1/plans/${unknown}/tensorrt?file=model.onnx`);
    assert.equal(badFile.statusCode, 400, badFile.body);
    assert.match(badFile.json().message, /file/);
    const badName = await farm.get(`/v1/plans/${unknown}/tensorrt?name=../up`);
    assert.equal(badName.statusCode, 400, badName.body);
    assert.match(badName.json().message, /model name/);
  });

  it("serves a tensorrt plan as a tar that extracts to <name>/config.pbtxt and <name>/1/model.plan, the plan's bare engine", async () => {
    const stored = await storedTensorrtPlan();
    const meta = (await farm.get(`/v1/plans/${stored.id}/meta`)).json();
    const answer = await farm.get(`/v1/plans/${stored.id}/tensorrt?name=mlp`);
    assert.equal(answer.statusCode, 200, answer.body);
    assert.equal(answer.headers['content-type'], 'application/x-tar');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-triton-'));
    try {
      await writeFile(path.join(dir, 'entry.tar'), answer.rawPayload);
      await run('tar', ['-xf', 'entry.tar'], { cwd: dir });
      assert.deepEqual(await readFile(path.join(dir, 'mlp/1/model.plan')), stored.engine);
      assert.equal(await readFile(path.join(dir, 'mlp/config.pbtxt'), 'utf8'), tritonConfig('mlp', meta));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serves each file alone with ?file=, under the default model name', async () => {
    const stored = await storedTensorrtPlan();
    const plan = await farm.get(`/v1/plans/${stored.id}/tensorrt?file=model.plan`);
    assert.equal(plan.statusCode, 200, plan.body);
    assert.equal(plan.headers['content-type'], 'application/octet-stream');
    assert.deepEqual(plan.rawPayload, stored.engine);
    const config = await farm.get(`/v1/plans/${stored.id}/tensorrt?file=config.pbtxt`);
    assert.equal(config.statusCode, 200, config.body);
    assert.match(config.body, new RegExp(`^name: "trtfarm_${stored.id.slice(0, 16)}"$`, 'm'));
    assert.match(config.body, /^platform: "tensorrt_plan"$/m);
  });

  it('is in the OpenAPI document with its file and name parameters', async () => {
    const route = (await farm.get('/docs/json')).json().paths['/v1/plans/{planId}/tensorrt'];
    assert.ok(route?.get, 'GET /v1/plans/{planId}/tensorrt missing from the OpenAPI document');
    const names = route.get.parameters.map((parameter: { name: string }) => parameter.name);
    for (const name of ['planId', 'file', 'name']) assert.ok(names.includes(name), `parameter ${name} missing`);
  });

  it('refuses tensorrt build options for another backend with 400', async () => {
    const answer = await farm.post('/v1/builds', { ...seedFullyConnected, tensorrt: { hardwareCompatibility: 'ampere+' } });
    assert.equal(answer.statusCode, 400, answer.body);
    assert.match(answer.json().message, /tensorrt options need "backend": "tensorrt"/);
  });
});
