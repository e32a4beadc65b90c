// TRTFARM_API_KEYS: every route of the OpenAPI document but the probes and /metrics answers 401
// without a key or with a wrong one, and works with any of the keys; the dashboard and the
// docs also take the key as a Basic password (browsers); keys can come from a file.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { isOpenPath } from '../../api/plugins/auth.js';
import { seedFullyConnected } from '../farm/seed.js';
import { TestFarm } from '../farm/test-farm.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

const KEYS = ['k-3f9a1c', 'k-77b2e0'];
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`anyone:${key}`).toString('base64')}` });

describe('API keys', () => {
  let redis: TestRedis;
  let farm: TestFarm;
  let dir: string;
  before(async () => {
    redis = await startTestRedis();
    dir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-keys-'));
    await writeFile(path.join(dir, 'keys'), `${KEYS[0]}\n\n${KEYS[1]}\n`);
    farm = await TestFarm.start(redis, { TRTFARM_API_KEYS: `@${path.join(dir, 'keys')}` });
    await farm.startWorker();
  });
  after(async () => {
    await farm.stop();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const request = (method: string, url: string, headers: Record<string, string> = {}) =>
    farm.app.inject({ method: method as 'GET', url, headers, ...(method === 'POST' ? { payload: {} } : {}) });

  it('answers 401 { message } on every route of the document without a key and with a wrong one; the probes and /metrics stay open', async () => {
    const document = (await request('GET', '/docs/json', bearer(KEYS[0]))).json();
    const routes = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([url, methods]) =>
      Object.keys(methods).map((method) => [method.toUpperCase(), url.replace(/\{[^}]+\}/g, 'f'.repeat(64))] as const),
    );
    assert.ok(routes.length >= 15, `${routes.length} routes`);
    for (const [method, url] of [...routes, ['GET', '/docs/json'] as const, ['GET', '/ui'] as const, ['GET', '/no/such/route'] as const]) {
      for (const headers of [{}, bearer('not-a-key'), bearer(`${KEYS[0]}x`), { authorization: KEYS[0] }]) {
        const answer = await request(method, url, headers);
        if (isOpenPath(url)) assert.notEqual(answer.statusCode, 401, `${method} ${url} is open`);
        else {
          assert.equal(answer.statusCode, 401, `${method} ${url} ${JSON.stringify(headers)}: ${answer.body}`);
          // /v2 routes answer errors in the protocol's { error } shape.
          assert.match(url.startsWith('/v2') ? answer.json().error : answer.json().message, /API key/);
        }
      }
    }
    for (const url of ['/healthz', '/readyz', '/readyz/api', '/v2/health/live', '/v2/health/ready', '/metrics']) {
      assert.equal((await request('GET', url)).statusCode, 200, url);
    }
  });

  it('serves every key of the file, on the routes and the dashboard; Basic only for the dashboard and the docs', async () => {
    for (const key of KEYS) {
      assert.equal((await request('GET', '/v1/workers', bearer(key))).statusCode, 200);
      const posted = await farm.app.inject({ method: 'POST', url: '/v1/builds', headers: bearer(key), payload: seedFullyConnected });
      assert.ok([200, 202].includes(posted.statusCode), posted.body);
      assert.equal((await request('GET', '/ui', basic(key))).statusCode, 200);
      assert.equal((await request('GET', '/docs/json', basic(key))).statusCode, 200);
      assert.equal((await request('GET', '/v1/workers', basic(key))).statusCode, 401);
    }
    const challenge = await request('GET', '/ui');
    assert.match(String(challenge.headers['www-authenticate']), /^Basic realm="trtfarm"/);
    assert.match(String((await request('GET', '/v1/workers')).headers['www-authenticate']), /^Bearer/);
  });
});
