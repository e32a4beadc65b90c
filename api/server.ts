// The API alone: `tsx api/server.ts` (npm start runs it beside the workers). Listens, prints
// its URL, and closes cleanly on SIGTERM/SIGINT. With TRTFARM_API_PROCESSES > 1 this process
// is the primary of that many API processes on one port (api/cluster/api-primary.ts).
import cluster from 'node:cluster';

import { loadConfigOrExit, type FarmConfig } from '../shared/config.js';
import { buildApp } from './app.js';
import { ApiPrimary } from './cluster/api-primary.js';

const config = loadConfigOrExit();

if (config.apiProcesses > 1 && cluster.isPrimary) {
  const primary = new ApiPrimary(config.apiProcesses);
  onStopSignal(() => primary.stop());
  const url = await primary.start().catch((error: Error) => {
    process.stderr.write(`trtfarm API: ${error.message}\n`);
    process.exit(1);
  });
  announce(url, config);
  process.stderr.write(`trtfarm API: ${config.apiProcesses} processes (TRTFARM_API_PROCESSES)\n`);
} else {
  const { engine } = await import('../shared/engine/addon.js');
  const app = await buildApp({ config, engine }).catch((error: Error) => {
    process.stderr.write(`trtfarm API: cannot start (Redis at ${config.redisUrl}?): ${error.message}\n`);
    process.exit(1);
  });
  await app.listen({ port: config.port, host: config.host });
  onStopSignal(() => app.close());
  if (cluster.isPrimary) {
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    announce(`http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`, config);
  }
}

// The one line a supervisor (bin/farm.ts) or a person waits for.
function announce(url: string, { apiKeys, host }: FarmConfig): void {
  process.stdout.write(`trtfarm API listening on ${url}\n`);
  if (apiKeys.length === 0 && !['127.0.0.1', '::1', 'localhost'].includes(host)) {
    process.stderr.write(`trtfarm API: listening on ${host} without TRTFARM_API_KEYS: whoever reaches it can use it\n`);
  }
}

function onStopSignal(stop: () => Promise<unknown>): void {
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}
