// The API's half of dynamic batching, for one plan: requests that arrive close together go into
// one BullMQ job (one Redis write of their inputs, one job add, one completion event, one read
// of their outputs), as Triton's dynamic batcher gathers requests for one model. A job is sent
// once it holds `maxRows` rows, or `delayUs` after its first request arrived (0: at the end of
// the current turn of the event loop, i.e. with what is already waiting). The worker then
// stacks its requests into engine calls (worker/row-stacker.ts).
import type { TensorSet } from '../../shared/queue/wire-tensor.js';

export interface Batched {
  inputs: TensorSet;
  rows: number;
  arrivedNs: bigint;
}

export interface Placement {
  jobId: string;
  index: number;
}

interface Waiting extends Batched {
  placed: (placement: Placement) => void;
  refused: (error: unknown) => void;
}

export type SendJob = (items: Batched[]) => Promise<string>;

export class RequestBatcher {
  private waiting: Waiting[] = [];
  private rows = 0;
  private deadline = 0n;
  private scheduled = false;

  constructor(
    private readonly send: SendJob,
    private readonly maxRows: number,
    private readonly delayUs: number,
  ) {}

  // Resolves once the request is in a job in Redis (nothing accepted is lost), with its place there.
  add(item: Batched): Promise<Placement> {
    return new Promise((placed, refused) => {
      // A job never holds more than maxRows rows, unless one request alone does.
      if (this.rows + item.rows > this.maxRows) this.flush();
      if (this.waiting.length === 0) this.deadline = process.hrtime.bigint() + BigInt(Math.round(this.delayUs * 1000));
      this.waiting.push({ ...item, placed, refused });
      this.rows += item.rows;
      if (this.rows >= this.maxRows) this.flush();
      else this.schedule();
    });
  }

  // setImmediate, not setTimeout: timers are whole milliseconds, the delay is microseconds.
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const tick = () => {
      if (this.waiting.length > 0 && process.hrtime.bigint() < this.deadline) {
        setImmediate(tick);
        return;
      }
      this.scheduled = false;
      this.flush();
    };
    setImmediate(tick);
  }

  private flush(): void {
    if (this.waiting.length === 0) return;
    const items = this.waiting;
    this.waiting = [];
    this.rows = 0;
    this.send(items).then(
      (jobId) => items.forEach((item, index) => item.placed({ jobId, index })),
      (error: unknown) => items.forEach((item) => item.refused(error)),
    );
  }
}
