// The API's half of dynamic batching, for one plan: requests that arrive close together go into
// one BullMQ job (one Redis write of their inputs, one job add, one completion event, one read
// of their outputs), as Triton's dynamic batcher gathers requests for one model. A job is sent
// at the end of the turn of the event loop its first request arrived in, with every request
// that arrived in that turn — unless `maxInFlight` jobs of the plan are out already: then it
// gathers requests until one of them finishes, it holds `maxRows` rows, or `delayUs` have
// passed since its first request (whichever comes first; 0: never waits). So a lightly loaded farm sends each request at once, and a busy one
// sends fewer, larger jobs. The worker then stacks their requests into engine calls
// (worker/row-stacker.ts).
import type { TensorSet } from '../../shared/queue/wire-tensor.js';

export interface Batched {
  inputs: TensorSet;
  rows: number;
  arrivedNs: bigint;
  pollable: boolean; // its caller may read the result again by its id
}

export interface Placement {
  jobId: string;
  index: number;
}

interface Waiting extends Batched {
  placed: (placement: Placement) => void;
  refused: (error: unknown) => void;
}

// Resolves once the job is in Redis, with its id and a promise that settles when it finished.
export type SendJob = (items: Batched[]) => Promise<{ jobId: string; finished: Promise<unknown> }>;

export class RequestBatcher {
  private waiting: Waiting[] = [];
  private rows = 0;
  private deadline = 0;
  private inFlight = 0;
  private scheduled = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly send: SendJob,
    private readonly maxRows: number,
    private readonly delayUs: number,
    private readonly maxInFlight: number,
  ) {}

  // Resolves once the request is in a job in Redis (nothing accepted is lost), with its place there.
  add(item: Batched): Promise<Placement> {
    return new Promise((placed, refused) => {
      // A job never holds more than maxRows rows, unless one request alone does.
      if (this.rows + item.rows > this.maxRows) this.flush();
      if (this.waiting.length === 0) this.deadline = performance.now() + this.delayUs / 1000;
      this.waiting.push({ ...item, placed, refused });
      this.rows += item.rows;
      if (this.rows >= this.maxRows) this.flush();
      else this.schedule();
    });
  }

  // At the end of this turn of the event loop (what arrived in it joins): sent at once while
  // fewer than maxInFlight jobs are out, else when one of them finishes or the delay is over.
  // (A timer, not a busy loop of turns: on a machine whose cores the worker and Redis share,
  // spinning costs more than it saves. Node's timers round up to a whole millisecond.)
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const left = this.deadline - performance.now();
      if (this.inFlight < this.maxInFlight || left <= 0) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), left);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0) return;
    const items = this.waiting;
    this.waiting = [];
    this.rows = 0;
    this.inFlight++;
    const done = () => {
      this.inFlight--;
      if (this.waiting.length > 0) this.flush();
    };
    this.send(items).then(
      ({ jobId, finished }) => {
        items.forEach((item, index) => item.placed({ jobId, index }));
        void finished.finally(done);
      },
      (error: unknown) => {
        items.forEach((item) => item.refused(error));
        done();
      },
    );
  }
}
