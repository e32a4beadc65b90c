// Loaded engines by plan id, bounded by memory (a plan's bytes stand for its engine's size:
// they are mostly the weights). An engine evicted while jobs still run on it is disposed of
// when the last of them finishes, never under a running inference.
import { LRUCache } from 'lru-cache';

import type { Engine } from '../shared/engine/types.js';

class CachedEngine {
  private users = 0;
  // A retired engine is disposed of as soon as no job uses it.
  constructor(
    readonly engine: Engine,
    readonly bytes: number,
    private retired = false,
  ) {}

  async use<T>(run: (engine: Engine) => Promise<T>): Promise<T> {
    this.users++;
    try {
      return await run(this.engine);
    } finally {
      this.users--;
      if (this.retired && this.users === 0) this.engine.dispose();
    }
  }

  retire(): void {
    this.retired = true;
    if (this.users === 0) this.engine.dispose();
  }
}

export type EngineLoader = (planId: string) => Promise<{ engine: Engine; bytes: number }>;

export class EngineCache {
  private readonly cache: LRUCache<string, CachedEngine>;
  private readonly loading = new Map<string, Promise<CachedEngine>>();

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
    const entry = this.cache.get(planId) ?? (await this.loadOnce(planId));
    return entry.use(run);
  }

  clear(): void {
    this.cache.clear();
  }

  // Concurrent jobs for a plan not loaded yet share one load.
  private loadOnce(planId: string): Promise<CachedEngine> {
    let pending = this.loading.get(planId);
    if (!pending) {
      pending = this.load(planId)
        .then(({ engine, bytes }) => {
          // Larger than the whole cache: used by the jobs waiting for it, then disposed of.
          const entry = new CachedEngine(engine, bytes, bytes > this.maxBytes);
          if (bytes <= this.maxBytes) this.cache.set(planId, entry);
          return entry;
        })
        .finally(() => this.loading.delete(planId));
      this.loading.set(planId, pending);
    }
    return pending;
  }
}
