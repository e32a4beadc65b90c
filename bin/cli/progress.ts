// A job's progress while the CLI waits: a bar on a terminal, plain lines otherwise (a line at
// each change of status or progress), both on stderr so that stdout carries only results.
import { SingleBar } from 'cli-progress';

export class Progress {
  private readonly bar?: SingleBar;
  private last = '';

  constructor(
    private readonly label: string,
    interactive = process.stderr.isTTY === true,
  ) {
    if (interactive) {
      this.bar = new SingleBar({ format: `${label} [{bar}] {percentage}% {status}`, stream: process.stderr, hideCursor: true, clearOnComplete: false });
      this.bar.start(100, 0, { status: 'queued' });
    }
  }

  update(status: string, percent: number): void {
    if (this.bar) return this.bar.update(Math.round(percent), { status });
    const line = `${this.label}: ${status} ${Math.round(percent)}%`;
    if (line !== this.last) process.stderr.write(`${line}\n`);
    this.last = line;
  }

  stop(): void {
    this.bar?.stop();
  }
}
