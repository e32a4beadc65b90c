// A private redis-server child process on a free loopback port: what `npm start` runs when
// REDIS_URL is unset, and what each test file runs for itself. It starts a process, so it
// lives beside the supervisor, not in shared/.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';

export class RedisMissingError extends Error {
  constructor() {
    super(
      'redis-server was not found on PATH. Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`, ' +
        'macOS: `brew install redis`) or point REDIS_URL at an existing Redis.',
    );
  }
}

export interface LocalRedisOptions {
  dir: string; // working directory: AOF files when persistent
  persistent: boolean; // AOF on (npm start) or nothing on disk (tests)
  // Its own process group, so that a terminal's Ctrl-C reaches only the supervisor, which
  // stops Redis last, after the workers that still write to it.
  ownProcessGroup?: boolean;
  // A given port (to restart a server where its clients expect it); default: a free one.
  port?: number;
  // The executable (host-packages.ts finds or installs it); default: redis-server on PATH.
  binary?: string;
}

export class LocalRedis {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(options: LocalRedisOptions): Promise<LocalRedis> {
    await mkdir(options.dir, { recursive: true });
    // The free port may be taken between probing and binding; try again then.
    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (await freePort());
      try {
        return new LocalRedis(await launch(port, options), port);
      } catch (error) {
        if (error instanceof RedisMissingError || options.port !== undefined || attempt === 3) throw error;
      }
    }
  }

  // SIGTERM makes redis-server flush its AOF and exit.
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

function launch(port: number, options: LocalRedisOptions): Promise<ChildProcess> {
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', options.dir,
    '--save', '',
    '--appendonly', options.persistent ? 'yes' : 'no',
    // BullMQ needs keys never evicted.
    '--maxmemory-policy', 'noeviction',
  ];
  const child = spawn(options.binary ?? 'redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: options.ownProcessGroup ?? false });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.resume();
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new RedisMissingError() : error),
    );
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready: ${output.trim()}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
