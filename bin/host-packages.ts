// The programs the farm needs from its own machine — redis-server for the private Redis, cmake,
// g++ and make for the addon — found on PATH or, on Debian/Ubuntu as root, installed with
// apt-get, so that `npm start` and `npm test` work on a fresh machine. Where installing is not
// possible, one line says why and what to install.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// The Debian package holding each program.
const DEBIAN_PACKAGE: Record<string, string> = { 'redis-server': 'redis-server', cmake: 'cmake', 'g++': 'g++', make: 'make' };

export class HostPackageError extends Error {}

export interface Host {
  debian: boolean; // /etc/os-release says Debian or a derivative (Ubuntu…)
  root: boolean;
  aptGet?: string;
}

export function findOnPath(command: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export function describeHost(searchPath: string, osRelease = '/etc/os-release'): Host {
  let release = '';
  try {
    release = readFileSync(osRelease, 'utf8');
  } catch {
    // no os-release: not a distribution we know how to install on
  }
  const ids = [...release.matchAll(/^(?:ID|ID_LIKE)=("?)([^"\n]*)\1$/gm)].flatMap((match) => match[2].split(/\s+/));
  return { debian: ids.includes('debian') || ids.includes('ubuntu'), root: process.getuid?.() === 0, aptGet: findOnPath('apt-get', searchPath) };
}

// Why the packages cannot be installed here, or undefined when they can.
export function installRefusal(host: Host, allowed: boolean): string | undefined {
  if (!allowed) return 'installing is turned off (TRTFARM_AUTO_INSTALL=0)';
  if (!host.debian || !host.aptGet) return 'this is not a Debian/Ubuntu system with apt-get';
  if (!host.root) return 'installing needs root';
  return undefined;
}

export interface EnsureOptions {
  searchPath: string;
  allowInstall: boolean; // TRTFARM_AUTO_INSTALL
  host?: Host;
  log: (line: string) => void; // progress, on stderr: stdout carries only the ready line
}

// The absolute path of each command, installing the missing ones where possible.
export function ensureCommands(commands: string[], options: EnsureOptions): Record<string, string> {
  const found: Record<string, string> = {};
  const missing: string[] = [];
  for (const command of commands) {
    const where = findOnPath(command, options.searchPath);
    if (where) found[command] = where;
    else missing.push(command);
  }
  if (missing.length === 0) return found;

  const packages = missing.map((command) => DEBIAN_PACKAGE[command] ?? command);
  const host = options.host ?? describeHost(options.searchPath);
  const refusal = installRefusal(host, options.allowInstall);
  if (refusal) {
    const redisHint = missing.includes('redis-server') ? ', or set REDIS_URL to an existing Redis' : '';
    throw new HostPackageError(
      `${missing.join(', ')} not found on PATH and not installed: ${refusal}. ` +
        `Install ${packages.join(' ')} (Debian/Ubuntu: sudo apt-get install -y ${packages.join(' ')}; macOS: brew install ${packages.map((p) => (p === 'redis-server' ? 'redis' : p)).join(' ')})${redisHint}.`,
    );
  }
  options.log(`trtfarm: installing ${packages.join(' ')} with apt-get (not found on PATH)…`);
  aptInstall(host.aptGet!, packages, options.searchPath);
  for (const [i, command] of missing.entries()) {
    const where = findOnPath(command, options.searchPath) ?? installedPath(command, packages[i], options.searchPath);
    if (!where) throw new HostPackageError(`apt-get installed ${packages[i]} but ${command} is still not to be found`);
    found[command] = where;
  }
  return found;
}

function aptInstall(aptGet: string, packages: string[], searchPath: string): void {
  const env = { ...process.env, PATH: searchPath, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args: string[]) => spawnSync(aptGet, args, { env, stdio: ['ignore', 2, 2] }).status === 0;
  const install = () => run(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
  // A fresh machine (a container image) has no package lists yet; an old list may name files
  // the mirror no longer has: either way, update and try again.
  if (!hasPackageLists() && !run(['update', '-qq'])) throw new HostPackageError('apt-get update failed (is a Debian mirror reachable?)');
  if (install()) return;
  if (!run(['update', '-qq']) || !install()) throw new HostPackageError(`apt-get install ${packages.join(' ')} failed (its output is above)`);
}

function hasPackageLists(): boolean {
  try {
    return readdirSync('/var/lib/apt/lists').some((name) => name.includes('_Packages'));
  } catch {
    return false;
  }
}

// Where dpkg put a package's program, for a PATH that leaves that directory out.
function installedPath(command: string, debianPackage: string, searchPath: string): string | undefined {
  const dpkgQuery = findOnPath('dpkg-query', searchPath) ?? 'dpkg-query';
  const listed = spawnSync(dpkgQuery, ['-L', debianPackage], { encoding: 'utf8' });
  return listed.stdout
    ?.split('\n')
    .find((file) => path.basename(file) === command && /\/s?bin\//.test(file));
}
