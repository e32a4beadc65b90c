// `npx trtfarm …`: the farm from a shell, against TRTFARM_URL (default http://127.0.0.1:8080)
// with TRTFARM_API_KEY. Exit codes: 0 success, 1 a failed job or an error answered by the farm
// (its message, no stack trace), 2 a usage error.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

import { FarmClient } from './cli/farm-client.js';
import { FarmError } from './cli/farm-error.js';
import { build, status, sweep } from './cli/jobs.js';
import { infer, planGet, plans, workers } from './cli/plans.js';
import { UsageError } from './cli/usage-error.js';

const PRECISIONS = ['fp32', 'tf32', 'fp16', 'bf16'];
const BACKENDS = ['auto', 'tensorrt', 'cuda', 'cpu'];

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive whole number');
  return n;
}

let exitCode = 0;
const client = () => new FarmClient(program.opts<{ url: string }>().url, process.env.TRTFARM_API_KEY || undefined);
const run = async (action: () => Promise<number>) => {
  exitCode = await action();
};

const program = new Command()
  .name('trtfarm')
  .description('Build TensorRT-style plans on a trtfarm and run them')
  .addOption(new Option('--url <url>', "the farm's API").env('TRTFARM_URL').default('http://127.0.0.1:8080'))
  .showHelpAfterError()
  .exitOverride();

program
  .command('build')
  .description('build a plan from a network JSON or an ONNX model; prints the build id (with --wait: the plan id)')
  .argument('<file>', 'FILE.json (a network) or FILE.onnx')
  .addOption(new Option('--precision <p>').choices(PRECISIONS))
  .option('--profile <x=MIN:OPT:MAX>', 'batch range of a dynamic input: batch sizes (x=1:8:64) or shapes (x=1x60:8x60:64x60); several inputs comma-separated')
  .addOption(new Option('--backend <b>').choices(BACKENDS))
  .option('--name <name>', 'a name the plan answers to')
  .option('--wait', 'wait until it is built, showing progress')
  .action((file: string, options) => run(() => build(client(), file, options)));

program
  .command('sweep')
  .description('build every combination of precisions and profiles; prints the comparison table')
  .argument('<file>', 'FILE.json (a network) or FILE.onnx')
  .requiredOption('--precisions <list>', 'comma-separated, e.g. fp16,bf16')
  .option('--profiles <profiles...>', 'one or more x=MIN:OPT:MAX (as in build --profile)')
  .option('--backends <list>', 'comma-separated, e.g. cuda,tensorrt')
  .option('--name <name>', 'a name the plans answer to')
  .option('--batch <n>', 'the batch at which the variants are compared', positiveInt)
  .action((file: string, options) => run(() => sweep(client(), file, options)));

program
  .command('status')
  .description('the status of a build, sweep or inference (JSON)')
  .argument('<id>')
  .action((id: string) => run(() => status(client(), id)));

program
  .command('plans')
  .description('the stored plans, newest first')
  .option('--name <name>', 'only the plans of this name')
  .option('--limit <n>', 'at most this many', positiveInt)
  .action((options) => run(() => plans(client(), options)));

program
  .command('plan')
  .description('one plan')
  .command('get')
  .description('download a plan')
  .argument('<id>', 'plan id')
  .requiredOption('-o, --output <file>', 'where to write it')
  .action((id: string, options: { output: string }) => run(() => planGet(client(), id, options.output)));

program
  .command('infer')
  .description('run an inference; prints the outputs as JSON')
  .argument('<plan>', 'a plan id, or a name (its newest plan)')
  .requiredOption('--input <name=file...>', 'an input: a .npy file, or JSON holding a nested array or { shape, data }')
  .action((plan: string, options: { input: string[] }) => run(() => infer(client(), plan, options.input)));

program
  .command('workers')
  .description('the live workers')
  .action(() => run(() => workers(client())));

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed the problem (or the help) already.
    exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UsageError) {
    process.stderr.write(`trtfarm: ${error.message}\n`);
    exitCode = 2;
  } else if (error instanceof FarmError) {
    process.stderr.write(`trtfarm: ${error.message}\n`);
    exitCode = 1;
  } else {
    process.stderr.write(`trtfarm: ${(error as Error).message ?? String(error)}\n`);
    exitCode = 1;
  }
}
process.exitCode = exitCode;
