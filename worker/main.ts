// `npm run worker -- --device 0|cpu --redis redis://host:6379`: one worker process bound to
// one device, joining the farm whose Redis it is given (on this machine or another).
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';

import { engine } from '../shared/engine/addon.js';
import { loadConfigOrExit } from '../shared/config.js';
import type { DeviceChoice } from './device.js';
import { FarmWorker } from './farm-worker.js';

function parseDevice(value: string): DeviceChoice {
  if (value === 'cpu') return 'cpu';
  if (/^\d+$/.test(value)) return Number(value);
  throw new InvalidArgumentError('a GPU index (0, 1, …) or "cpu"');
}

const options = new Command()
  .name('trtfarm-worker')
  .description('a trtfarm worker: builds plans and runs inferences for one device')
  .option('--device <index|cpu>', 'the GPU index (as the CUDA runtime numbers them) or cpu', parseDevice, 'cpu' as DeviceChoice)
  .option('--redis <url>', "the farm's Redis (default: $REDIS_URL)")
  .option('--data-dir <dir>', 'where plans are stored (default: $TRTFARM_DATA_DIR or ./data); shared with the API')
  .parse()
  .opts<{ device: DeviceChoice; redis?: string; dataDir?: string }>();

const config = loadConfigOrExit({
  ...process.env,
  ...(options.redis ? { REDIS_URL: options.redis } : {}),
  ...(options.dataDir ? { TRTFARM_DATA_DIR: options.dataDir } : {}),
});
const log = pino({ level: config.logLevel, name: `worker:${options.device}` });

try {
  const worker = await FarmWorker.start(config, options.device, engine, log);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing active jobs');
    await worker.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // Only now: whoever waits for this line may signal the worker at once.
  log.info({ id: worker.id, queues: worker.queues }, 'worker ready');
} catch (error) {
  log.fatal({ err: error }, (error as Error).message);
  process.exit(1);
}
