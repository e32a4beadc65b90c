// TRTFARM_API_PROCESSES > 1: the API as several processes on one port, through node:cluster
// (the primary accepts each connection and hands it to a process in turn). One process parses
// and answers a few thousand tensors a second where a GPU worker serves more (bench/gpu). The
// primary serves no request: it starts the processes, prints the ready line once all listen,
// starts again one that dies, relays the gathering of per-process figures (peer-gather.ts),
// and stops them all on SIGTERM/SIGINT.
import cluster, { type Worker } from 'node:cluster';

import { isClusterMessage, type GatherRequest, type PartReply } from './messages.js';

// The longest a gathering waits for a process's part (a process that is dying answers never).
const GATHER_DEADLINE_MS = 3_000;
const RESTART_DELAY_MS = 1_000;

interface Gathering {
  id: number;
  asker: Worker;
  askerId: number;
  parts: unknown[];
  pending: Set<number>; // worker ids yet to answer
  timer: NodeJS.Timeout;
}

export class ApiPrimary {
  private readonly gatherings = new Map<number, Gathering>();
  private nextId = 0;
  private stopping = false;

  constructor(private readonly processes: number) {}

  // Resolves with the address once every process listens; rejects (having stopped the others)
  // if one exits before that: a process that cannot start (Redis unreachable) would not start
  // on a second try either.
  start(): Promise<string> {
    cluster.on('message', (worker, message) => {
      if (!isClusterMessage(message)) return;
      if (message.kind === 'trtfarm:gather') this.gather(worker, message);
      else if (message.kind === 'trtfarm:part') this.receive(worker, message);
    });
    return new Promise((resolve, reject) => {
      let listening = 0;
      let ready = false;
      cluster.on('listening', (_worker, address) => {
        if (ready || ++listening < this.processes) return;
        ready = true;
        const host = address.address?.includes(':') ? `[${address.address}]` : address.address;
        resolve(`http://${host}:${address.port}`);
      });
      cluster.on('exit', (worker, code, signal) => {
        for (const gathering of this.gatherings.values()) this.drop(gathering, worker.id);
        if (this.stopping) return;
        if (!ready) {
          void this.stop().then(() => reject(new Error(`an API process exited while starting (${signal ?? `exit code ${code}`})`)));
          return;
        }
        process.stderr.write(`trtfarm API: a process died (${signal ?? `exit code ${code}`}); starting another in ${RESTART_DELAY_MS / 1000} s\n`);
        setTimeout(() => this.stopping || cluster.fork(), RESTART_DELAY_MS);
      });
      for (let i = 0; i < this.processes; i++) cluster.fork();
    });
  }

  // Each process closes (its requests in flight answered), then the primary is done.
  async stop(): Promise<void> {
    this.stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            worker.process.kill('SIGTERM');
          }),
      ),
    );
  }

  private gather(asker: Worker, request: GatherRequest): void {
    const id = this.nextId++;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && w.isConnected());
    const gathering: Gathering = {
      id,
      asker,
      askerId: request.id,
      parts: [],
      pending: new Set(workers.map((w) => w.id)),
      timer: setTimeout(() => this.finish(id), GATHER_DEADLINE_MS),
    };
    this.gatherings.set(id, gathering);
    for (const worker of workers) worker.send({ kind: 'trtfarm:part-request', id, topic: request.topic });
  }

  private receive(worker: Worker, reply: PartReply): void {
    const gathering = this.gatherings.get(reply.id);
    if (!gathering) return;
    if (reply.error === undefined) gathering.parts.push(reply.part);
    else process.stderr.write(`trtfarm API: a process could not give its figures: ${reply.error}\n`);
    this.drop(gathering, worker.id);
  }

  private drop(gathering: Gathering, workerId: number): void {
    gathering.pending.delete(workerId);
    if (gathering.pending.size === 0) this.finish(gathering.id);
  }

  private finish(id: number): void {
    const gathering = this.gatherings.get(id);
    if (!gathering) return;
    this.gatherings.delete(id);
    clearTimeout(gathering.timer);
    if (gathering.asker.isConnected()) gathering.asker.send({ kind: 'trtfarm:gathered', id: gathering.askerId, parts: gathering.parts });
  }
}
