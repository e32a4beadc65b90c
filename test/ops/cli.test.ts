// The CLI against a started farm (real Redis, the API listening, a cpu worker): results checked
// against the float64 reference, the farm's messages passed on, and the exit codes of the
// contract: 0 success, 1 a failed job or an error answered by the farm, 2 a usage error.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { NetworkSpec } from '../../shared/network/spec.js';
import { TestFarm } from '../farm/test-farm.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { referenceOutputs, scaledError } from '../../shared/network/reference.js';
import { npyFloat32, runCli, runCommand } from './cli-runner.js';

const random = (count: number) => Array.from({ length: count }, () => Math.fround(Math.random() * 2 - 1));

// A dynamic-batch MLP with fresh random weights: (N, 6) → fc 5 + relu → fc 3.
function randomNetwork(): NetworkSpec {
  return {
    inputs: [{ name: 'x', shape: [-1, 6] }],
    layers: [
      { name: 'h', type: 'fullyConnected', outputs: 5, weights: random(30), bias: random(5) },
      { name: 'r', type: 'activation', kind: 'relu' },
      { name: 'y', type: 'fullyConnected', outputs: 3, weights: random(15), bias: random(3) },
    ],
  } as NetworkSpec;
}

describe('the trtfarm CLI against a started farm', () => {
  let redis: TestRedis;
  let farm: TestFarm;
  let dir: string;
  let env: Record<string, string>;
  const file = (name: string) => path.join(dir, name);

  before(async () => {
    redis = await startTestRedis();
    farm = await TestFarm.start(redis);
    await farm.startWorker();
    await farm.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = farm.app.server.address() as { port: number };
    env = { TRTFARM_URL: `http://127.0.0.1:${port}` };
    dir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-cli-'));
  });
  after(async () => {
    await farm.stop();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('builds a network with --wait and --profile, then infers from .npy and nested-JSON inputs like the float64 reference', async () => {
    const network = randomNetwork();
    await writeFile(file('net.json'), JSON.stringify(network));
    const built = await runCli(['build', file('net.json'), '--profile', 'x=1:4:8', '--precision', 'fp32', '--wait'], env);
    assert.equal(built.code, 0, built.stderr);
    const planId = built.stdout.trim();
    assert.match(planId, /^[0-9a-f]{64}$/);
    const meta = (await farm.get(`/v1/plans/${planId}/meta`)).json();
    assert.deepEqual(meta.profile.x, { min: [1, 6], opt: [4, 6], max: [8, 6] });
    // Not a terminal: plain progress lines on stderr, ending completed.
    assert.match(built.stderr, /: completed 100%\n/);

    const batch = 3;
    const x = random(batch * 6);
    const want = referenceOutputs(network, { x: { shape: [batch, 6], data: x } }).y;
    await writeFile(file('x.npy'), npyFloat32([batch, 6], x));
    const fromNpy = await runCli(['infer', planId, '--input', `x=${file('x.npy')}`], env);
    assert.equal(fromNpy.code, 0, fromNpy.stderr);
    const y = JSON.parse(fromNpy.stdout).y;
    assert.deepEqual(y.shape, [batch, 3]);
    assert.ok(scaledError(y.data, want) < 1e-5, `npy input: error ${scaledError(y.data, want)}`);

    const nested = Array.from({ length: batch }, (_, row) => x.slice(row * 6, row * 6 + 6));
    await writeFile(file('x.json'), JSON.stringify(nested));
    const fromJson = await runCli(['infer', planId, '--input', `x=${file('x.json')}`], env);
    assert.equal(fromJson.code, 0, fromJson.stderr);
    assert.deepEqual(JSON.parse(fromJson.stdout), JSON.parse(fromNpy.stdout));

    const downloaded = await runCli(['plan', 'get', planId, '-o', file('net.plan')], env);
    assert.equal(downloaded.code, 0, downloaded.stderr);
    assert.deepEqual(await readFile(file('net.plan')), (await farm.get(`/v1/plans/${planId}`)).rawPayload);

    const status = await runCli(['status', meta.buildId], env);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(JSON.parse(status.stdout).plan.id, planId);
  });

  it('builds without --wait: prints the build id at once, which status follows', async () => {
    await writeFile(file('other.json'), JSON.stringify(randomNetwork()));
    const queued = await runCli(['build', file('other.json'), '--profile', 'x=2:2:4'], env);
    assert.equal(queued.code, 0, queued.stderr);
    const id = queued.stdout.trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.equal((await farm.waitForBuild(id)).status, 'completed');
  });

  it('draws a progress bar on a terminal (under script(1), a pseudo-terminal)', { skip: !existsSync('/usr/bin/script') && 'no script(1)' }, async () => {
    await writeFile(file('tty.json'), JSON.stringify(randomNetwork()));
    const command = `${process.execPath} bin/trtfarm.js build ${file('tty.json')} --profile x=1:3:6 --wait`;
    const ran = await runCommand('script', ['-qec', command, '/dev/null'], env);
    assert.equal(ran.code, 0, ran.stdout);
    assert.match(ran.stdout, /build [0-9a-f]{12} \[[=\-\u2588\u2591]{10,}\] 100% completed/);
    assert.match(ran.stdout, /^[0-9a-f]{64}\r?$/m, 'then the plan id');
  });

  it('lists the live workers', async () => {
    const listed = await runCli(['workers'], env);
    assert.equal(listed.code, 0, listed.stderr);
    const [worker] = (await farm.get('/v1/workers')).json();
    assert.match(listed.stdout, new RegExp(`^${worker.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+cpu\\s`, 'm'));
  });

  it('exits 1 with the farm\'s message (no stack trace) for an invalid network and for an unknown id', async () => {
    const network = randomNetwork();
    (network.layers[0] as unknown as { weights: number[] }).weights = random(29);
    await writeFile(file('bad.json'), JSON.stringify(network));
    const refused = await runCli(['build', file('bad.json'), '--profile', 'x=1:4:8'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^trtfarm: .*weights.*\(HTTP 400\)\n$/);

    const unknown = await runCli(['status', 'f'.repeat(64)], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^trtfarm: no build or sweep f{64} \(HTTP 404\)\n$/);
    assert.doesNotMatch(unknown.stderr + refused.stderr, /\n\s+at /);
  });

  it('exits 1 when the farm cannot be reached, naming TRTFARM_URL', async () => {
    // A port that was free a moment ago: nothing listens there.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    server.close();
    const answer = await runCli(['workers'], { TRTFARM_URL: `http://127.0.0.1:${port}` });
    assert.equal(answer.code, 1);
    assert.equal(answer.stderr, `trtfarm: cannot reach the farm at http://127.0.0.1:${port} (TRTFARM_URL): ECONNREFUSED\n`);
  });

  it('exits 2 on usage errors: an unknown command, a missing argument, a bad --profile, a bad precision, an unreadable file', async () => {
    await writeFile(file('ok.json'), JSON.stringify(randomNetwork()));
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['build'], /missing required argument 'file'/],
      [['build', file('ok.json'), '--profile', 'x=1:8'], /expected NAME=MIN:OPT:MAX/],
      [['build', file('ok.json'), '--profile', 'z=1:2:3'], /the network has no input "z"/],
      [['build', file('ok.json'), '--precision', 'fp8'], /Allowed choices are fp32, tf32, fp16, bf16/],
      [['build', file('missing.json')], /cannot read .*missing\.json: ENOENT/],
      [['infer', 'f'.repeat(64), '--input', 'x'], /expected NAME=FILE/],
    ];
    for (const [args, message] of cases) {
      const answer = await runCli(args, env);
      assert.equal(answer.code, 2, `${args.join(' ')}: ${answer.stderr}`);
      assert.match(answer.stderr, message);
    }
  });
});

describe('the trtfarm CLI against a farm that asks for keys', () => {
  let redis: TestRedis;
  let farm: TestFarm;
  let url: string;
  before(async () => {
    redis = await startTestRedis();
    farm = await TestFarm.start(redis, { TRTFARM_API_KEYS: 'alpha-key,beta-key' });
    await farm.startWorker();
    await farm.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(farm.app.server.address() as { port: number }).port}`;
  });
  after(async () => {
    await farm.stop();
    await redis.stop();
  });

  it('sends TRTFARM_API_KEY; without it, or with a wrong one, exits 1 saying so', async () => {
    assert.equal((await runCli(['workers'], { TRTFARM_URL: url, TRTFARM_API_KEY: 'beta-key' })).code, 0);
    const without = await runCli(['workers'], { TRTFARM_URL: url });
    assert.equal(without.code, 1);
    assert.match(without.stderr, /an API key is required.*\(HTTP 401\)/);
    const wrong = await runCli(['workers'], { TRTFARM_URL: url, TRTFARM_API_KEY: 'gamma-key' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /the API key is not valid \(HTTP 401\)/);
  });
});
