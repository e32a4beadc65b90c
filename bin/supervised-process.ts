// A child of `npm start` (the API or a worker): its output goes to a log file, and it counts
// as started when a given text appears in that output.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

export class SupervisedProcess {
  private readonly child: ChildProcess;
  private readonly log: WriteStream;
  private recent = '';
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    readonly logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
    // Its own process group: Ctrl-C reaches only the supervisor, which stops the children in order.
    this.child = spawn(process.execPath, ['--import', 'tsx', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        this.log.write(chunk);
        this.recent = (this.recent + chunk.toString()).slice(-8192);
      });
    }
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get tail(): string {
    return this.recent.trim().split('\n').slice(-15).join('\n');
  }

  // Resolves with the line that contains `marker`; rejects if the process exits first.
  started(marker: string): Promise<string> {
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
        this.child.stdout?.off('data', look);
        this.child.stderr?.off('data', look);
        this.child.off('exit', onExit);
      };
      this.child.stdout?.on('data', look);
      this.child.stderr?.on('data', look);
      this.child.once('exit', onExit);
      look();
    });
  }

  // SIGTERM, then wait: workers finish their active jobs first, however long that takes.
  async stop(): Promise<void> {
    if (this.running) this.child.kill('SIGTERM');
    await this.exited;
    this.log.end();
  }

  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}
