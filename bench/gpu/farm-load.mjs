// One load thread of bench/gpu/farm-client.ts: `clients` loops, each sending one KServe v2
// request at a time over its own keep-alive connection for `seconds`, after a warm-up; posts
// back the latencies (ms) and how many answers were wrong. Threads keep the load generator off
// the API's critical path: a single client thread saturates before a fast farm does.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

// workerData: { url, headers, body (Uint8Array), clients, seconds, expectedBytes } — expectedBytes:
// binary answers' fixed length; 0: any length (JSON numbers vary in length).
// Plain JavaScript: a worker thread does not inherit tsx's loader.
const job = workerData;
const { hostname, port, pathname } = new URL(job.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: job.clients });
const body = Buffer.from(job.body);

function once() {
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, path: pathname, method: 'POST', agent, headers: { ...job.headers, 'content-length': body.length } }, (answer) => {
      let bytes = 0;
      answer.on('data', (chunk) => (bytes += chunk.length));
      answer.on('end', () => resolve(answer.statusCode === 200 && (job.expectedBytes === 0 || bytes === job.expectedBytes)));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const latencies = [];
let wrong = 0;
await Promise.all(Array.from({ length: job.clients }, () => once()));
const end = performance.now() + job.seconds * 1000;
await Promise.all(
  Array.from({ length: job.clients }, async () => {
    while (performance.now() < end) {
      const start = performance.now();
      if (!(await once())) wrong++;
      latencies.push(performance.now() - start);
    }
  }),
);
agent.destroy();
parentPort.postMessage({ latencies, wrong });
