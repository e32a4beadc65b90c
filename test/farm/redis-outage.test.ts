// Redis going away is an outage: the API answers 503 with a message at once (no request
// hangs), and serves again when Redis is back where it was.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { buildApp } from '../../api/app.js';
import { loadConfig } from '../../shared/config.js';
import { engine } from '../../shared/engine/addon.js';
import { LocalRedis } from '../../bin/local-redis.js';
import { seedFullyConnected } from './seed.js';

describe('a Redis outage', () => {
  it('is answered 503 at once while Redis is down, and the API recovers when it is back', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-outage-'));
    let redis = await LocalRedis.start({ dir, persistent: false });
    const config = loadConfig({ REDIS_URL: redis.url, TRTFARM_DATA_DIR: dir, TRTFARM_QUEUE_PREFIX: 'outage' });
    const app = await buildApp({ config, engine, logger: false });
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/v1/workers' })).statusCode, 200);
      await redis.stop();

      for (const [method, url, payload] of [
        ['POST', '/v1/builds', seedFullyConnected],
        ['GET', '/readyz', undefined],
        ['GET', `/v1/builds/${'a'.repeat(64)}`, undefined],
      ] as const) {
        const started = Date.now();
        const answer = await app.inject({ method, url, ...(payload ? { payload } : {}) });
        assert.equal(answer.statusCode, 503, `${url}: ${answer.body}`);
        assert.match(answer.json().message, /Redis is unreachable/);
        assert.ok(Date.now() - started < 1500, `${url} took ${Date.now() - started} ms`);
      }

      redis = await LocalRedis.start({ dir, persistent: false, port: redis.port });
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        status = (await app.inject({ method: 'GET', url: '/v1/workers' })).statusCode;
        if (status !== 200) await sleep(100);
      }
      assert.equal(status, 200);
    } finally {
      await app.close();
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
