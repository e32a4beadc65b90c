// The baseline's worker for bench/farm.ts: raw BullMQ, a processor that does nothing, in its
// own process like a farm worker. Args: redis URL, prefix, queue name, concurrency.
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const [url, prefix, queue, concurrency] = process.argv.slice(2);
const connection = new Redis(url, { maxRetriesPerRequest: null });
const worker = new Worker(queue, async () => ({ ok: true }), { connection, prefix, concurrency: Number(concurrency) });
await worker.waitUntilReady();
process.stdout.write('raw worker ready\n');
process.on('SIGTERM', () => void worker.close().then(() => connection.quit()).then(() => process.exit(0)));
