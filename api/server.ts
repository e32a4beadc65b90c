// The API alone: `tsx api/server.ts` (npm start runs it beside the workers). Listens, prints
// its URL, and closes cleanly on SIGTERM/SIGINT.
import { engine } from '../shared/engine/addon.js';
import { loadConfigOrExit } from '../shared/config.js';
import { buildApp } from './app.js';

const config = loadConfigOrExit();
const app = await buildApp({ config, engine }).catch((error: Error) => {
  process.stderr.write(`trtfarm API: cannot start (Redis at ${config.redisUrl}?): ${error.message}\n`);
  process.exit(1);
});
await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
const host = config.host.includes(':') ? `[${config.host}]` : config.host;
// The one line a supervisor (bin/farm.ts) or a person waits for.
process.stdout.write(`trtfarm API listening on http://${host}:${port}\n`);
if (config.apiKeys.length === 0 && !['127.0.0.1', '::1', 'localhost'].includes(config.host)) {
  process.stderr.write(`trtfarm API: listening on ${config.host} without TRTFARM_API_KEYS: whoever reaches it can use it\n`);
}

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
