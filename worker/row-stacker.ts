// The worker's half of dynamic batching: the requests of every job active at once on one plan
// are stacked along the batch dimension into as few engine calls as the profile's max batch
// allows, and the outputs are split back (views, no copies). While a plan's calls are in
// flight, new requests wait and are stacked into the next call, so under load calls grow
// without any timer; with nothing in flight a request runs at once.
//
// What cannot be stacked runs alone: a plan whose batch is fixed, or a request whose rows alone
// fill the profile. A stacked call that the engine refuses as the caller's fault (E_INPUT…) is
// rerun request by request, so that a bad request fails alone with its own message.
import { isCallerError } from '../shared/engine/addon.js';
import type { Engine, Tensor } from '../shared/engine/types.js';
import type { TensorSet } from '../shared/queue/wire-tensor.js';

// queueUs: from `since` (the caller's start: the job's) to the start of the engine call.
interface CallFigures {
  queueUs: number;
  computeUs: number;
  batch: number;
  rows: number;
}
export type StackedOutcome = ({ outputs: TensorSet } | { error: string }) & CallFigures;

interface Waiting {
  since: number;
  inputs: TensorSet;
  rows: number;
  engine: Engine;
  done: (outcome: StackedOutcome) => void;
  fail: (error: unknown) => void; // the machine's fault: the job fails (and is retried)
}

// Engine calls of one plan in flight at once: two overlap one call's copies with another's compute.
const CALLS_IN_FLIGHT = 2;

export class RowStacker {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxInFlight: number;

  // Not stacking (TRTFARM_BATCHING=off): every request is its own call, all of them at once.
  constructor(private readonly stacking: boolean) {
    this.maxInFlight = stacking ? CALLS_IN_FLIGHT : Infinity;
  }

  run(engine: Engine, inputs: TensorSet, since = performance.now()): Promise<StackedOutcome> {
    return new Promise((done, fail) => {
      this.waiting.push({ since, engine, inputs, rows: rowsOf(engine, inputs), done, fail });
      // Requests of jobs that arrive in the same turn of the event loop join the same call.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.drain();
        });
      }
    });
  }

  private drain(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const group = this.takeGroup();
      this.inFlight++;
      void this.execute(group).finally(() => {
        this.inFlight--;
        this.drain();
      });
    }
  }

  private takeGroup(): Waiting[] {
    const first = this.waiting.shift()!;
    const max = first.engine.info.batch.max;
    if (!this.stacking || !stackable(first.engine)) return [first];
    const group = [first];
    let rows = first.rows;
    const fits = (next: Waiting) => next.engine === first.engine && rows + next.rows <= max && sameRowShapes(first.inputs, next.inputs);
    while (this.waiting.length > 0 && fits(this.waiting[0])) {
      const next = this.waiting.shift()!;
      rows += next.rows;
      group.push(next);
    }
    return group;
  }

  private async execute(group: Waiting[]): Promise<void> {
    const engine = group[0].engine;
    const rows = group.reduce((sum, item) => sum + item.rows, 0);
    const started = performance.now();
    const figures = (item: Waiting): CallFigures => ({
      queueUs: (started - item.since) * 1000,
      computeUs: (performance.now() - started) * 1000,
      batch: rows,
      rows: item.rows,
    });
    try {
      const outputs = await engine.infer(group.length === 1 ? group[0].inputs : stack(group));
      if (group.length === 1) {
        group[0].done({ outputs, ...figures(group[0]) });
        return;
      }
      let row = 0;
      for (const item of group) {
        item.done({ outputs: sliceRows(outputs, row, item.rows, rows), ...figures(item) });
        row += item.rows;
      }
    } catch (error) {
      if (!isCallerError(error)) {
        for (const item of group) item.fail(error);
      } else if (group.length === 1) {
        group[0].done({ error: (error as Error).message, ...figures(group[0]) });
      } else {
        // Which one is at fault: each again, alone.
        await Promise.all(group.map((item) => this.execute([item])));
      }
    }
  }
}

function stackable(engine: Engine): boolean {
  return engine.info.inputs.every((input) => input.shape[0] === -1) && engine.info.outputs.every((output) => output.shape[0] === -1);
}

// Stacked along dimension 0 only: every other dimension must agree.
function sameRowShapes(a: TensorSet, b: TensorSet): boolean {
  return Object.keys(a).every((name) => b[name] && b[name].shape.length === a[name].shape.length && a[name].shape.every((dim, d) => d === 0 || dim === b[name].shape[d]));
}

function rowsOf(engine: Engine, inputs: TensorSet): number {
  const first = inputs[engine.info.inputs[0]?.name];
  return first?.shape[0] ?? 1;
}

// One tensor per input name, the requests' rows one after the other.
function stack(group: Waiting[]): TensorSet {
  const names = Object.keys(group[0].inputs);
  return Object.fromEntries(
    names.map((name) => {
      const parts = group.map((item) => item.inputs[name]);
      const total = parts.reduce((sum, part) => sum + part.data.length, 0);
      const data = new Float32Array(total);
      let offset = 0;
      for (const part of parts) {
        data.set(part.data, offset);
        offset += part.data.length;
      }
      const rows = parts.reduce((sum, part) => sum + part.shape[0], 0);
      return [name, { shape: [rows, ...parts[0].shape.slice(1)], data }];
    }),
  );
}

function sliceRows(outputs: TensorSet, start: number, count: number, total: number): TensorSet {
  return Object.fromEntries(
    Object.entries(outputs).map(([name, tensor]: [string, Tensor]) => {
      const perRow = tensor.data.length / total;
      return [name, { shape: [count, ...tensor.shape.slice(1)], data: tensor.data.subarray(start * perRow, (start + count) * perRow) }];
    }),
  );
}
