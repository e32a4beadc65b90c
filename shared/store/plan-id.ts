// A plan's id: the sha256 of its bytes. Hashed a slice at a time, the event loop turning between
// slices: a plan of hundreds of MB takes a few hundred ms to hash, which in one piece would stall
// every inference of the worker that built it.
import { createHash } from 'node:crypto';
import { setImmediate as turn } from 'node:timers/promises';

const SLICE_BYTES = 8 * 1024 * 1024;

export async function planIdOf(plan: Uint8Array): Promise<string> {
  const hash = createHash('sha256');
  for (let offset = 0; offset < plan.byteLength; offset += SLICE_BYTES) {
    if (offset > 0) await turn();
    hash.update(plan.subarray(offset, offset + SLICE_BYTES));
  }
  return hash.digest('hex');
}
