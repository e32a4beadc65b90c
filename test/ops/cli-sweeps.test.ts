// The CLI's commands over names, plan listing and sweeps, against a started farm: a name given
// at build time lists and infers; a sweep prints one compared row per variant and its best.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { NetworkSpec } from '../../shared/network/spec.js';
import { TestFarm } from '../farm/test-farm.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { referenceOutputs, scaledError } from '../../shared/network/reference.js';
import { runCli } from './cli-runner.js';

const random = (count: number) => Array.from({ length: count }, () => Math.fround(Math.random() * 2 - 1));
const network = (): NetworkSpec =>
  ({ inputs: [{ name: 'x', shape: [-1, 4] }], layers: [{ name: 'y', type: 'fullyConnected', outputs: 2, weights: random(8), bias: random(2) }] }) as unknown as NetworkSpec;

describe('the trtfarm CLI: names, plans and sweeps', () => {
  let redis: TestRedis;
  let farm: TestFarm;
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    redis = await startTestRedis();
    farm = await TestFarm.start(redis);
    await farm.startWorker();
    await farm.app.listen({ port: 0, host: '127.0.0.1' });
    env = { TRTFARM_URL: `http://127.0.0.1:${(farm.app.server.address() as { port: number }).port}` };
    dir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-cli-'));
  });
  after(async () => {
    await farm.stop();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('builds under a name, lists it with plans --name, and infers by the name', async () => {
    const net = network();
    await writeFile(path.join(dir, 'named.json'), JSON.stringify(net));
    const built = await runCli(['build', path.join(dir, 'named.json'), '--profile', 'x=1:2:4', '--name', 'cli-named', '--wait'], env);
    assert.equal(built.code, 0, built.stderr);
    const planId = built.stdout.trim();
    const listed = await runCli(['plans', '--name', 'cli-named'], env);
    assert.equal(listed.code, 0, listed.stderr);
    const rows = listed.stdout.trim().split('\n').slice(2);
    assert.equal(rows.length, 1, listed.stdout);
    assert.match(rows[0], new RegExp(`^${planId}\\s+cli-named\\s+cpu\\s+fp32\\s+1:2:4\\s`));

    const x = random(8);
    await writeFile(path.join(dir, 'x.json'), JSON.stringify({ shape: [2, 4], data: x }));
    const inferred = await runCli(['infer', 'cli-named', '--input', `x=${path.join(dir, 'x.json')}`], env);
    assert.equal(inferred.code, 0, inferred.stderr);
    const want = referenceOutputs(net, { x: { shape: [2, 4], data: x } }).y;
    assert.ok(scaledError(JSON.parse(inferred.stdout).y.data, want) < 1e-5);

    const unknown = await runCli(['infer', 'no-such-name', '--input', `x=${path.join(dir, 'x.json')}`], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^trtfarm: no plan named "no-such-name"\n$/);
  });

  it('sweeps precisions × profiles and prints one compared row per variant, with the best marked', { timeout: 120_000 }, async () => {
    await writeFile(path.join(dir, 'sweep.json'), JSON.stringify(network()));
    const swept = await runCli(['sweep', path.join(dir, 'sweep.json'), '--precisions', 'fp32,fp16', '--profiles', 'x=1:2:4', 'x=1:4:8'], env);
    assert.equal(swept.code, 0, swept.stderr);
    const lines = swept.stdout.trim().split('\n');
    assert.match(lines[0], /build\s+precision\s+backend\s+profile\s+status\s+p50 ms @2\s+rows\/s @2\s+accuracy\s+build ms/);
    const rows = lines.slice(2).filter((line) => !line.startsWith('best:'));
    assert.equal(rows.length, 4, swept.stdout);
    for (const row of rows) assert.match(row, /\s(fp32|fp16)\s+cpu\s+x=1:[24]:[48]\s+completed\s+\d+\.\d{3}\s+\d+\s+\S+ pass\s+\d+$/);
    const best = /^best: ([0-9a-f]{64}) /m.exec(swept.stdout)?.[1];
    assert.ok(best, swept.stdout);
    assert.equal(rows.filter((row) => row.startsWith('*')).length, 1);
  });
});
