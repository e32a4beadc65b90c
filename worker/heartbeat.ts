// Keeps this worker's record alive in Redis: refreshed every interval, expiring after three
// missed beats, so a killed worker drops out of /v1/workers and routing within seconds.
import type { WorkerDirectory } from '../shared/queue/worker-directory.js';
import type { WorkerRecord } from '../shared/queue/worker-record.js';

export class Heartbeat {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly directory: WorkerDirectory,
    private readonly record: Omit<WorkerRecord, 'lastSeen'>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => this.beat().catch(this.onError), this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.directory.withdraw(this.record.id);
  }

  private beat(): Promise<void> {
    return this.directory.announce({ ...this.record, lastSeen: new Date().toISOString() }, this.intervalMs * 3);
  }
}
