// TRTFARM_API_PROCESSES: the API as several processes on one port (node:cluster). Each answers
// inferences right, and /v2/…/stats and /metrics answer for all of them (requests reach the
// processes connection by connection, in turn); figures every process reads alike from Redis
// are not multiplied; a process that dies is replaced; SIGTERM stops them all.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { referenceOutputs, scaledError } from '../../shared/network/reference.js';
import type { NetworkSpec } from '../../shared/network/spec.js';
import { randomValues } from '../farm/seed.js';
import { farmForSuite } from '../farm/suite-farm.js';
import type { TestFarm } from '../farm/test-farm.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PROCESSES = 3;
const CONNECTIONS = 6; // two for each process
const REQUESTS_PER_CONNECTION = 5;

const weights = randomValues(16 * 8);
const bias = randomValues(8);
const buildRequest = { network: { inputs: [{ name: 'x', shape: [1, 16] }], layers: [{ name: 'fc', type: 'fullyConnected', outputs: 8, weights, bias }] } };
const network: NetworkSpec = {
  inputs: [{ name: 'x', shape: [1, 16] }],
  layers: [{ name: 'fc', type: 'fullyConnected', outputs: 8, weights: Float32Array.from(weights), bias: Float32Array.from(bias) }],
};

// One request on a given keep-alive agent (one agent, one connection, one API process).
function request(agent: http.Agent, url: string, method: 'GET' | 'POST', body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(url, { method, agent, headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

// The API processes the primary forked (not tsx's esbuild service, also its child).
function childPids(parent: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(parent), '-f', 'api/server.ts'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there is none
  }
}

function metric(text: string, name: string, labels: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  assert.ok(line, `${name}{${labels}} in /metrics`);
  return Number(line.split(' ').at(-1));
}

describe('several API processes', () => {
  let farm: TestFarm;
  farmForSuite((started) => (farm = started));

  it('serve inferences and answer /stats and /metrics for all of them', async () => {
    const plan = (await farm.build(buildRequest)).plan.id;
    const api = spawn(process.execPath, ['--import', 'tsx', 'api/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...farm.env, PORT: '0', TRTFARM_API_PROCESSES: String(PROCESSES), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    api.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    api.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => api.once('exit', resolve));
    const agents = Array.from({ length: CONNECTIONS }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    try {
      const deadline = Date.now() + 60_000;
      while (!stdout.includes('\n')) {
        assert.ok(Date.now() < deadline && api.exitCode === null, `API not ready: ${stdout}${stderr}`);
        await sleep(50);
      }
      const url = stdout.match(/http:\/\/[\d.]+:\d+/)?.[0];
      assert.ok(url, stdout);
      assert.equal(childPids(api.pid!).length, PROCESSES);

      const infer = async (agent: http.Agent) => {
        const data = randomValues(16);
        const answer = await request(agent, `${url}/v2/models/${plan}/infer`, 'POST', { inputs: [{ name: 'x', shape: [1, 16], datatype: 'FP32', data }] });
        assert.equal(answer.status, 200, answer.body);
        const want = referenceOutputs(network, { x: { shape: [1, 16], data } }).fc;
        assert.ok(scaledError(JSON.parse(answer.body).outputs[0].data, want) < 1e-5);
      };
      // Connection by connection first (the primary hands each new one to the next process), then all at once.
      for (const agent of agents) await infer(agent);
      await Promise.all(agents.map(async (agent) => {
        for (let i = 1; i < REQUESTS_PER_CONNECTION; i++) await infer(agent);
      }));
      const total = CONNECTIONS * REQUESTS_PER_CONNECTION;

      for (const agent of agents) {
        const stats: { inference_stats: { success: { count: number } }; inference_count: number } = JSON.parse((await request(agent, `${url}/v2/models/${plan}/stats`, 'GET')).body).model_stats[0];
        assert.equal(stats.inference_stats.success.count, total);
        assert.equal(stats.inference_count, total);
      }
      const metrics = (await request(agents[0], `${url}/metrics`, 'GET')).body;
      assert.equal(metric(metrics, 'nv_inference_request_success', `model="${plan}"`), total);
      assert.equal(metric(metrics, 'trtfarm_workers', 'backend="cpu"'), 1, 'the one live worker, read alike by every process, counted once');

      // A process killed: another takes its place, and the server goes on answering.
      const [victim] = childPids(api.pid!);
      process.kill(victim, 'SIGKILL');
      const replaced = Date.now() + 30_000;
      while (childPids(api.pid!).length !== PROCESSES || childPids(api.pid!).includes(victim)) {
        assert.ok(Date.now() < replaced, `no process replaced the killed one: ${stderr}`);
        await sleep(100);
      }
      for (const agent of agents) agent.destroy(); // connections to the killed process are gone
      const fresh = Array.from({ length: CONNECTIONS }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
      for (const agent of fresh) await infer(agent);
      fresh.forEach((agent) => agent.destroy());

      const pids = childPids(api.pid!);
      api.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      assert.deepEqual(pids.filter(isAlive), [], 'no API process left behind');
    } finally {
      agents.forEach((agent) => agent.destroy());
      if (api.exitCode === null) api.kill('SIGKILL');
      for (const pid of childPids(api.pid!)) process.kill(pid, 'SIGKILL');
    }
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
