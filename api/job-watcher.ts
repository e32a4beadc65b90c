// Waits for jobs of one queue to finish, from its QueueEvents stream. A request registers its
// watch before it adds the job (the API chooses job ids), so no finish can slip by unseen and
// no extra "is it finished already?" round trip is needed, unlike Job.waitUntilFinished.
import type { QueueEvents } from 'bullmq';
import type { EventEmitter } from 'node:events';

export type JobOutcome =
  | { state: 'completed'; returnvalue: unknown }
  | { state: 'failed'; failedReason: string }
  | { state: 'unfinished' }; // timed out, cancelled, or the API is closing

export interface JobWatch {
  outcome: Promise<JobOutcome>;
  cancel(): void;
}

export class JobWatcher {
  private readonly pending = new Set<() => void>();
  // QueueEvents also emits `<event>:<jobId>`, which its typed listener interface leaves out.
  private readonly emitter: EventEmitter;

  constructor(private readonly events: QueueEvents) {
    this.emitter = events as unknown as EventEmitter;
    // Every waiting request listens for its own job's events.
    this.emitter.setMaxListeners(0);
  }

  watch(jobId: string, timeoutMs: number): JobWatch {
    let finish!: (outcome: JobOutcome) => void;
    const outcome = new Promise<JobOutcome>((resolve) => {
      const onCompleted = (args: { returnvalue: unknown }) => finish({ state: 'completed', returnvalue: args.returnvalue });
      const onFailed = (args: { failedReason: string }) => finish({ state: 'failed', failedReason: args.failedReason });
      const unfinished = () => finish({ state: 'unfinished' });
      const timer = setTimeout(unfinished, timeoutMs);
      finish = (result) => {
        clearTimeout(timer);
        this.emitter.off(`completed:${jobId}`, onCompleted);
        this.emitter.off(`failed:${jobId}`, onFailed);
        this.pending.delete(unfinished);
        resolve(result);
      };
      this.emitter.on(`completed:${jobId}`, onCompleted);
      this.emitter.on(`failed:${jobId}`, onFailed);
      this.pending.add(unfinished);
    });
    return { outcome, cancel: () => finish({ state: 'unfinished' }) };
  }

  // Answers every waiting request (as unfinished) so that closing the API does not wait
  // out their timeouts; then stops reading events.
  async close(): Promise<void> {
    for (const unfinished of [...this.pending]) unfinished();
    await this.events.close();
  }
}
