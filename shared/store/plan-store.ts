// Where plans live. Content-addressed: a plan's id is the sha256 of its bytes, so writing the
// same plan twice is harmless and a stored plan never changes. The filesystem implementation
// is the default; a store shared between machines (Redis, S3) implements the same interface.
import type { PlanMeta } from './plan-meta.js';

export interface PlanStore {
  // Stores the bytes and their meta; returns the meta with id and bytes filled in.
  put(plan: Uint8Array, meta: Omit<PlanMeta, 'id' | 'bytes'>): Promise<PlanMeta>;
  // undefined when unknown.
  get(id: string): Promise<Buffer | undefined>;
  meta(id: string): Promise<PlanMeta | undefined>;
  // Removes plan and meta (the meta first: meta absent ⇒ unknown); false when there was none.
  delete(id: string): Promise<boolean>;
  // How many plans are stored (tests check that a build stored exactly one).
  count(): Promise<number>;
}
