// Issue 9's ONNX bomb through a listening API: 20 000 Add nodes, each with its own 1-element
// initializer (1.3 MB), are refused 413 with a message, and the event loop stays free meanwhile:
// /healthz, polled over real HTTP during the upload, answers every time within 100 ms.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { MAX_LAYERS } from '../../shared/network/limits.js';
import { addChainOnnx } from '../onnx/add-chain.js';
import { farmForSuite } from './suite-farm.js';
import type { TestFarm } from './test-farm.js';

describe('an ONNX model of 20 000 nodes', () => {
  let farm: TestFarm;
  farmForSuite((f) => (farm = f), { worker: false });

  it('is refused 413 while /healthz keeps answering within 100 ms', async () => {
    const url = await farm.app.listen({ port: 0, host: '127.0.0.1' });
    const onnx = Buffer.from(addChainOnnx(20_000)).toString('base64');
    const latencies: number[] = [];
    let done = false;
    const poll = (async () => {
      while (!done) {
        const started = performance.now();
        const answer = await fetch(`${url}/healthz`);
        latencies.push(performance.now() - started);
        assert.equal(answer.status, 200);
        await sleep(5);
      }
    })();
    await sleep(50); // the poller is running before the upload starts
    const answer = await fetch(`${url}/v1/builds`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ onnx }) });
    done = true;
    await poll;
    assert.equal(answer.status, 413);
    const { message } = (await answer.json()) as { message: string };
    assert.match(message, new RegExp(`^ONNX: node .*: the model converts to more than ${MAX_LAYERS} layers, the limit$`));
    assert.ok(latencies.length > 1);
    const worst = Math.max(...latencies);
    assert.ok(worst < 100, `/healthz took up to ${worst.toFixed(0)} ms (${latencies.length} polls)`);
  });
});
