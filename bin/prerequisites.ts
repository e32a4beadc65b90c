// `npm test`'s first step: what the suites need from the machine (redis-server, which each farm
// suite starts for itself; cmake, g++ and make for the addon), installed where missing and
// possible, else one line saying what to install.
import { loadConfigOrExit } from '../shared/config.js';
import { ensureCommands, HostPackageError } from './host-packages.js';

const config = loadConfigOrExit();
try {
  ensureCommands(['redis-server', 'cmake', 'g++', 'make'], {
    searchPath: process.env.PATH ?? '',
    allowInstall: config.autoInstall,
    log: (line) => process.stderr.write(`${line}\n`),
  });
} catch (error) {
  if (!(error instanceof HostPackageError)) throw error;
  process.stderr.write(`trtfarm: ${error.message}\n`);
  process.exit(1);
}
