// A child of `npm start` (the API or a worker): its output goes to a log file, and it counts
// as started when a given text appears in that output. With a restart policy, a child that
// dies on its own (a crash, an out-of-memory kill) is started again after a delay that doubles
// with each death in quick succession; only stop() or kill() end it for good.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface RestartPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  // A child that ran this long before dying was healthy: the next delay starts again from the first.
  healthyAfterMs: number;
  // Told of each death that is followed by a restart.
  onRestart: (exit: string, delayMs: number) => void;
}

export class SupervisedProcess {
  private child!: ChildProcess;
  private readonly log: WriteStream;
  private recent = '';
  private ended = false; // stop() or kill() was called: no more restarts
  private delayMs: number;
  private restartTimer?: NodeJS.Timeout;
  private resolveExited!: (code: number | null) => void;
  // The end of the process for good: its last child's exit code (null for a signal).
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    readonly logFile: string,
    private readonly restart?: RestartPolicy,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
    this.delayMs = restart?.firstDelayMs ?? 0;
    this.exited = new Promise((resolve) => (this.resolveExited = resolve));
    this.spawn();
  }

  private spawn(): void {
    this.restartTimer = undefined;
    const startedAt = Date.now();
    // Its own process group: Ctrl-C reaches only the supervisor, which stops the children in order.
    const child = spawn(process.execPath, ['--import', 'tsx', ...this.args], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        this.log.write(chunk);
        this.recent = (this.recent + chunk.toString()).slice(-8192);
      });
    }
    child.once('exit', (code, signal) => {
      if (this.ended || !this.restart) {
        this.log.end();
        return this.resolveExited(code);
      }
      if (Date.now() - startedAt >= this.restart.healthyAfterMs) this.delayMs = this.restart.firstDelayMs;
      const delay = this.delayMs;
      this.delayMs = Math.min(this.delayMs * 2, this.restart.maxDelayMs);
      this.restart.onRestart(signal ? `killed by ${signal}` : `exit code ${code}`, delay);
      this.restartTimer = setTimeout(() => this.spawn(), delay);
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get tail(): string {
    return this.recent.trim().split('\n').slice(-15).join('\n');
  }

  // Resolves with the line of the current child's output that contains `marker`; rejects if
  // that child exits first.
  started(marker: string): Promise<string> {
    const child = this.child;
    return new Promise((resolve, reject) => {
      const look = () => {
        const line = this.recent.split('\n').find((l) => l.includes(marker));
        if (line) {
          cleanup();
          resolve(line);
        }
      };
      const onExit = () => {
        cleanup();
        reject(new Error(`${this.name} exited while starting:\n${this.tail}`));
      };
      const cleanup = () => {
        child.stdout?.off('data', look);
        child.stderr?.off('data', look);
        child.off('exit', onExit);
      };
      child.stdout?.on('data', look);
      child.stderr?.on('data', look);
      child.once('exit', onExit);
      look();
    });
  }

  // SIGTERM, then wait: workers finish their active jobs first, however long that takes.
  async stop(): Promise<void> {
    this.end();
    if (this.running) this.child.kill('SIGTERM');
    await this.exited;
  }

  kill(): void {
    this.end();
    if (this.running) this.child.kill('SIGKILL');
  }

  private end(): void {
    this.ended = true;
    if (!this.restartTimer) return;
    // Between two children: there is none to wait for.
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    this.log.end();
    this.resolveExited(this.child.exitCode);
  }
}
