// Slow clients are cut off (issue 9 item 3): a body that trickles in is answered 408 and its
// connection closed once TRTFARM_REQUEST_TIMEOUT_MS has passed, headers that trickle in once
// TRTFARM_HEADERS_TIMEOUT_MS has; the API answers others meanwhile. Raw sockets on loopback
// against a listening API, every wait bounded.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { TestFarm } from './test-farm.js';

const REQUEST_TIMEOUT_MS = 1500;
const HEADERS_TIMEOUT_MS = 700;
// Node looks for requests past their time once a second (the API's connectionsCheckingInterval).
const SLACK_MS = 1000 + 1500;

interface Trickle {
  socket: Socket;
  closedAfter: Promise<number>; // ms from the connection to its close
  received: () => string;
}

// Sends `head` at once, then one byte of `drip` every `everyMs` until the server closes.
function trickle(port: number, head: string, drip: string, everyMs: number): Trickle {
  const socket = connect(port, '127.0.0.1');
  const started = performance.now();
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => {}); // a write after the server closed: the close is what counts
  let i = 0;
  socket.once('connect', () => socket.write(head));
  const timer = setInterval(() => socket.writable && socket.write(drip[i++ % drip.length]), everyMs);
  const closedAfter = new Promise<number>((resolve) => socket.once('close', () => {
    clearInterval(timer);
    resolve(performance.now() - started);
  }));
  return { socket, closedAfter, received: () => received };
}

async function closedWithin(t: Trickle, ms: number): Promise<number> {
  const limit = sleep(ms).then(() => -1);
  const after = await Promise.race([t.closedAfter, limit]);
  t.socket.destroy();
  assert.ok(after >= 0, `still open after ${ms} ms`);
  return after;
}

describe('slow clients', () => {
  let redis: TestRedis;
  let farm: TestFarm;
  let port: number;

  const before = async () => {
    redis = await startTestRedis();
    farm = await TestFarm.start(redis, {
      TRTFARM_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      TRTFARM_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    });
    const url = await farm.app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(url).port);
  };
  const after = async () => {
    await farm.stop();
    await redis.stop();
  };

  it('closes 20 connections whose bodies trickle in with 408 after the request timeout, answering others meanwhile', async () => {
    await before();
    try {
      const head = 'POST /v1/builds HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n';
      const slow = Array.from({ length: 20 }, () => trickle(port, head, '{"network":', 100));
      await sleep(300);
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
      const times = await Promise.all(slow.map((t) => closedWithin(t, REQUEST_TIMEOUT_MS + SLACK_MS)));
      for (const [i, t] of slow.entries()) {
        assert.ok(times[i] >= REQUEST_TIMEOUT_MS - 100, `closed after ${times[i]} ms, before the timeout`);
        assert.match(t.received(), /^HTTP\/1\.1 408 /);
      }
    } finally {
      await after();
    }
  });

  it('closes a connection whose headers trickle in after the headers timeout', async () => {
    await before();
    try {
      const t = trickle(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n', 50);
      const after = await closedWithin(t, HEADERS_TIMEOUT_MS + SLACK_MS);
      assert.ok(after >= HEADERS_TIMEOUT_MS - 100, `closed after ${after} ms`);
      assert.match(t.received(), /^HTTP\/1\.1 408 /);
    } finally {
      await after();
    }
  });
});
