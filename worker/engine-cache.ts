// Loaded engines by plan id, bounded by memory (a plan's bytes stand for its engine's size:
// they are mostly the weights). An engine evicted while jobs still run on it is disposed of
// when the last of them finishes, never under a running inference.
import { LRUCache } from 'lru-cache';

import type { Engine } from '../shared/engine/types.js';

class CachedEngine {
  private retired = false;

  constructor(
    readonly engine: Engine,
    readonly bytes: number,
    private users: number,
  ) {}

  acquire(): this {
    this.users++;
    return this;
  }

  release(): void {
    this.users--;
    if (this.retired && this.users === 0) this.engine.dispose();
  }

  // A retired engine is disposed of as soon as no job uses it.
  retire(): void {
    this.retired = true;
    if (this.users === 0) this.engine.dispose();
  }
}

export type EngineLoader = (planId: string) => Promise<{ engine: Engine; bytes: number }>;

interface PendingLoad {
  waiters: number;
  entry: Promise<CachedEngine>;
}

export class EngineCache {
  private readonly cache: LRUCache<string, CachedEngine>;
  private readonly loading = new Map<string, PendingLoad>();

  constructor(
    private readonly maxBytes: number,
    private readonly load: EngineLoader,
  ) {
    this.cache = new LRUCache<string, CachedEngine>({
      maxSize: maxBytes,
      sizeCalculation: (entry) => Math.max(1, entry.bytes),
      dispose: (entry) => entry.retire(),
    });
  }

  async use<T>(planId: string, run: (engine: Engine) => Promise<T>): Promise<T> {
    const entry = this.cache.get(planId)?.acquire() ?? (await this.loadShared(planId));
    try {
      return await run(entry.engine);
    } finally {
      entry.release();
    }
  }

  clear(): void {
    this.cache.clear();
  }

  // Concurrent jobs for a plan not loaded yet share one load. The entry reaches them already
  // counting them as its users: between its cache.set and their turn to run, another plan's
  // load can evict it, and an evicted entry without users is disposed of at once.
  private loadShared(planId: string): Promise<CachedEngine> {
    let pending = this.loading.get(planId);
    if (!pending) {
      const load: PendingLoad = {
        waiters: 0,
        entry: this.load(planId).then(
          ({ engine, bytes }) => {
            this.loading.delete(planId);
            const entry = new CachedEngine(engine, bytes, load.waiters);
            // Larger than the whole cache: used by the jobs waiting for it, then disposed of.
            if (bytes <= this.maxBytes) this.cache.set(planId, entry);
            else entry.retire();
            return entry;
          },
          (error: unknown) => {
            this.loading.delete(planId);
            throw error;
          },
        ),
      };
      pending = load;
      this.loading.set(planId, load);
    }
    pending.waiters++;
    return pending.entry;
  }
}
