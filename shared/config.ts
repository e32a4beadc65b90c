// The farm's settings, read from the environment once and validated, so that a typo in a
// deployment fails at start with a message instead of misbehaving later.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

import { DEFAULT_BUILD_TIMEOUT_MS, MAX_TOTAL_WEIGHT_BYTES, base64Length } from './network/limits.js';

const MiB = 1024 * 1024;

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const EnvSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  TRTFARM_DATA_DIR: z.string().min(1).default('./data'),
  // The private redis-server of `npm start` (no REDIS_URL): its append-only file keeps every
  // accepted job, and the tensors beside inference jobs, through a kill of redis-server. Off,
  // such a kill loses what was queued, and inference is faster (README: "The farm on a GPU").
  TRTFARM_REDIS_AOF: z.enum(['on', 'off']).default('on'),
  // Where plans live: the data dir (API and workers share it), or Redis (workers anywhere).
  TRTFARM_PLAN_STORE: z.enum(['fs', 'redis']).default('fs'),
  // Several farms (or test runs) can share one Redis under different prefixes.
  TRTFARM_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only').default('trtfarm'),
  // Enough for the largest network the limits admit (MAX_TOTAL_WEIGHT_BYTES of weights, e.g. four
  // 4096×4096 fp32 layers) sent as base64, plus room for the rest of the JSON: ≈ 431 MiB.
  TRTFARM_BODY_LIMIT_BYTES: positiveInt.default(base64Length(MAX_TOTAL_WEIGHT_BYTES) + 4 * MiB),
  // The API's processes on its one port (node:cluster; api/cluster/api-primary.ts). One process
  // parses and answers a few thousand tensors a second, a GPU worker serves more: by default one
  // process per 4 cores, at most 8 (1 on a 2-core machine).
  TRTFARM_API_PROCESSES: positiveInt.max(64).default(Math.max(1, Math.min(8, Math.floor(availableParallelism() / 4)))),
  // The longest a request may hold its connection waiting for an inference (v1 ?wait= and v2).
  TRTFARM_MAX_WAIT_MS: positiveInt.default(60_000),
  // Slow clients: the time a whole request (headers and body) may take to arrive, and its
  // headers alone. 60 s carries the largest body at about 7.5 MB/s.
  TRTFARM_REQUEST_TIMEOUT_MS: positiveInt.default(60_000),
  TRTFARM_HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
  // Workers: memory kept for loaded engines, inference jobs run at once, liveness.
  TRTFARM_ENGINE_CACHE_BYTES: positiveInt.default(2048 * MiB),
  TRTFARM_INFER_CONCURRENCY: positiveInt.default(16),
  TRTFARM_HEARTBEAT_MS: positiveInt.default(2_000),
  // Dynamic batching (api/infer/request-batcher.ts, worker/row-stacker.ts): the longest the API
  // holds a plan's request, while its jobs in flight are at their limit, for others to join
  // its job (0: only what is already waiting).
  TRTFARM_BATCHING: z.enum(['on', 'off']).default('on'),
  TRTFARM_BATCH_DELAY_US: z.coerce.number().int().min(0).max(1_000_000).default(500),
  // Read by the C++ cpu backend itself (native/src/cpu/thread_pool.cpp), which would quietly
  // use every core instead of a value it cannot take: checked here so that it fails at start.
  TRTFARM_CPU_THREADS: positiveInt.max(1024).optional(),
  // Read by the C++ cuda backend when it loads a plan (native/src/cuda/host_io.cpp), which would
  // fail every load on a bad value: checked here too, so that it fails at start.
  TRTFARM_CUDA_CONTEXTS: positiveInt.max(64).optional(),
  TRTFARM_CUDA_HOST_IO: z.enum(['auto', 'staged', 'pageable', 'registered']).optional(),
  // BullMQ's lock on an active job and how often stalled jobs are looked for: a worker that
  // dies mid-job has its job taken over after about lockDuration.
  TRTFARM_LOCK_MS: positiveInt.default(30_000),
  TRTFARM_STALLED_CHECK_MS: positiveInt.default(15_000),
  // Workers: a build still running after this long is cancelled and fails (the network's fault).
  TRTFARM_BUILD_TIMEOUT_MS: positiveInt.default(DEFAULT_BUILD_TIMEOUT_MS),
  // Test-only: every build sleeps this long before it starts, so that tests can kill a
  // worker in the middle of one. Never set in production.
  TRTFARM_TEST_BUILD_DELAY_MS: z.coerce.number().int().min(0).default(0),
  // Test-only, the same for inference jobs (to kill a worker in the middle of a batch).
  TRTFARM_TEST_INFER_DELAY_MS: z.coerce.number().int().min(0).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // API keys: comma-separated, or @/path/to/file with one a line. Unset: no key is asked for.
  TRTFARM_API_KEYS: z.string().optional(),
  // Backpressure: synchronous requests (KServe v2 infer, v1 infer with ?wait) held open at once,
  // and the event-loop delay, beyond which the API answers 503 with Retry-After (0: no check).
  TRTFARM_MAX_PENDING_SYNC: positiveInt.default(1024),
  TRTFARM_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1000),
  // npm start / npm test on Debian as root: apt-get install what is missing (redis-server,
  // cmake, g++, make); 0: only say what to install.
  TRTFARM_AUTO_INSTALL: z.enum(['0', '1']).default('1'),
});

export type FarmConfig = {
  port: number;
  host: string;
  redisUrl?: string;
  dataDir: string;
  redisAof: boolean;
  planStore: 'fs' | 'redis';
  queuePrefix: string;
  bodyLimitBytes: number;
  apiProcesses: number;
  maxWaitMs: number;
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  engineCacheBytes: number;
  inferConcurrency: number;
  heartbeatMs: number;
  batching: boolean;
  batchDelayUs: number;
  lockMs: number;
  stalledCheckMs: number;
  buildTimeoutMs: number;
  testBuildDelayMs: number;
  testInferDelayMs: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  apiKeys: string[];
  maxPendingSync: number;
  maxEventLoopDelayMs: number;
  autoInstall: boolean;
};

// A setting that cannot be used; its message names the variable and fits on one line.
export class ConfigError extends Error {
  constructor(message: string) {
    super(`invalid configuration: ${message}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): FarmConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems.join('; '));
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    redisUrl: e.REDIS_URL,
    dataDir: path.resolve(e.TRTFARM_DATA_DIR),
    redisAof: e.TRTFARM_REDIS_AOF === 'on',
    planStore: e.TRTFARM_PLAN_STORE,
    queuePrefix: e.TRTFARM_QUEUE_PREFIX,
    bodyLimitBytes: e.TRTFARM_BODY_LIMIT_BYTES,
    apiProcesses: e.TRTFARM_API_PROCESSES,
    maxWaitMs: e.TRTFARM_MAX_WAIT_MS,
    requestTimeoutMs: e.TRTFARM_REQUEST_TIMEOUT_MS,
    headersTimeoutMs: Math.min(e.TRTFARM_HEADERS_TIMEOUT_MS, e.TRTFARM_REQUEST_TIMEOUT_MS),
    engineCacheBytes: e.TRTFARM_ENGINE_CACHE_BYTES,
    inferConcurrency: e.TRTFARM_INFER_CONCURRENCY,
    heartbeatMs: e.TRTFARM_HEARTBEAT_MS,
    batching: e.TRTFARM_BATCHING === 'on',
    batchDelayUs: e.TRTFARM_BATCH_DELAY_US,
    lockMs: e.TRTFARM_LOCK_MS,
    stalledCheckMs: e.TRTFARM_STALLED_CHECK_MS,
    buildTimeoutMs: e.TRTFARM_BUILD_TIMEOUT_MS,
    testBuildDelayMs: e.TRTFARM_TEST_BUILD_DELAY_MS,
    testInferDelayMs: e.TRTFARM_TEST_INFER_DELAY_MS,
    logLevel: e.LOG_LEVEL,
    apiKeys: e.TRTFARM_API_KEYS === undefined ? [] : parseApiKeys(e.TRTFARM_API_KEYS),
    maxPendingSync: e.TRTFARM_MAX_PENDING_SYNC,
    maxEventLoopDelayMs: e.TRTFARM_MAX_EVENT_LOOP_DELAY_MS,
    autoInstall: e.TRTFARM_AUTO_INSTALL === '1',
  };
}

// For the processes' entry points: a bad setting is one line on stderr and exit code 1, not a stack.
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): FarmConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`trtfarm: ${error.message}\n`);
    process.exit(1);
  }
}

function parseApiKeys(value: string): string[] {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new ConfigError(`TRTFARM_API_KEYS: cannot read ${value.slice(1)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  const keys = text.split(value.startsWith('@') ? /\r?\n/ : ',').map((key) => key.trim()).filter(Boolean);
  if (keys.length === 0) throw new ConfigError('TRTFARM_API_KEYS: no key given (unset it to ask for none)');
  if (keys.some((key) => /\s/.test(key))) throw new ConfigError('TRTFARM_API_KEYS: a key holds whitespace');
  return keys;
}
