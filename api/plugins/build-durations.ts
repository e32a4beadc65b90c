// How the API learns build durations for trtfarm_build_duration_seconds: from the completion
// events of the build queues (BullMQ's event stream in Redis, which every API replica reads),
// whose return value is the plan's meta with backend, precision and buildMs as the worker
// measured them. Each queue is read from the moment this API started (stream ids are times), so
// builds finished before then are not counted and none finished since is missed, even in a
// queue first seen after its builds completed.
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';

import type { BuildJobResult } from '../../shared/queue/jobs.js';
import type { FarmServices } from '../farm-services.js';

export type BuildObserver = (result: BuildJobResult) => void;

export class BuildDurations {
  private readonly since = `${Date.now()}-0`;
  private readonly watched = new Map<string, { events: QueueEvents; connection: Redis }>();

  constructor(
    private readonly farm: FarmServices,
    private readonly observe: BuildObserver,
  ) {}

  // Starts reading the build queues among `names` that are not read yet.
  async watch(names: readonly string[]): Promise<void> {
    const fresh = names.filter((name) => name.startsWith('build.') && !this.watched.has(name));
    await Promise.all(fresh.map((name) => this.start(name)));
  }

  private async start(name: string): Promise<void> {
    // Its own connection: QueueEvents blocks reading the stream, and waits out outages.
    const connection = this.farm.redis.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false });
    const events = new QueueEvents(name, { connection, prefix: this.farm.config.queuePrefix, lastEventId: this.since });
    this.watched.set(name, { events, connection });
    events.on('completed', ({ returnvalue }) => {
      const result = (typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as BuildJobResult | null;
      if (result?.meta) this.observe(result);
    });
    await events.waitUntilReady();
  }

  async close(): Promise<void> {
    await Promise.all([...this.watched.values()].map(async ({ events, connection }) => {
      await events.close();
      await connection.quit();
    }));
  }
}
