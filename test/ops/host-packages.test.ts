// What npm start and npm test do about missing programs: find them, install them with apt-get on
// Debian as root (for real, on a PATH that lacks redis-server: apt-get then finds it installed,
// or installs it), or say in one line why not and what to install.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';

import { describeHost, ensureCommands, findOnPath, HostPackageError, installRefusal, type Host } from '../../bin/host-packages.js';
import { pathWithout } from './path-without.js';

const debianRoot: Host = { debian: true, root: true, aptGet: '/usr/bin/apt-get' };
const thisHost = describeHost(process.env.PATH ?? '');
const canInstall = installRefusal(thisHost, true) === undefined;

describe('host packages', () => {
  it('installs only on Debian/Ubuntu, as root, with apt-get, and when not turned off', () => {
    assert.equal(installRefusal(debianRoot, true), undefined);
    assert.match(installRefusal({ ...debianRoot, root: false }, true)!, /needs root/);
    assert.match(installRefusal({ ...debianRoot, debian: false }, true)!, /not a Debian\/Ubuntu system/);
    assert.match(installRefusal({ ...debianRoot, aptGet: undefined }, true)!, /not a Debian\/Ubuntu system with apt-get/);
    assert.match(installRefusal(debianRoot, false)!, /TRTFARM_AUTO_INSTALL=0/);
  });

  it('tells Debian and its derivatives from other systems by /etc/os-release', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-os-'));
    try {
      const cases: [string, boolean][] = [
        ['ID=debian\nVERSION_ID="12"\n', true],
        ['ID=ubuntu\nID_LIKE=debian\n', true],
        ['ID=linuxmint\nID_LIKE="ubuntu debian"\n', true],
        ['ID="fedora"\n', false],
        ['ID=rocky\nID_LIKE="rhel centos fedora"\n', false],
      ];
      for (const [text, debian] of cases) {
        await writeFile(path.join(dir, 'os-release'), text);
        assert.equal(describeHost('', path.join(dir, 'os-release')).debian, debian, text);
      }
      assert.equal(describeHost('', path.join(dir, 'missing')).debian, false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('returns what is on PATH as it is, installing nothing', () => {
    const log: string[] = [];
    const found = ensureCommands(['sh'], { searchPath: process.env.PATH ?? '', allowInstall: true, log: (line) => log.push(line) });
    assert.equal(found.sh, findOnPath('sh', process.env.PATH ?? ''));
    assert.deepEqual(log, []);
  });

  it('where it may not install, says in one line what is missing and how to install it', () => {
    const attempt = (host: Host, allowInstall: boolean) => () =>
      ensureCommands(['redis-server', 'cmake', 'sh'], { searchPath: '/nonexistent', allowInstall, host, log: () => assert.fail('nothing is installed') });
    const oneLine = (pattern: RegExp) => (error: unknown) => error instanceof HostPackageError && !error.message.includes('\n') && pattern.test(error.message);
    assert.throws(attempt({ ...debianRoot, root: false }, true), oneLine(/^redis-server, cmake, sh not found on PATH and not installed: installing needs root\. .*sudo apt-get install -y redis-server cmake sh.*or set REDIS_URL/));
    assert.throws(attempt({ debian: false, root: true }, true), oneLine(/not a Debian\/Ubuntu system.*brew install redis cmake sh/));
    assert.throws(attempt(debianRoot, false), oneLine(/TRTFARM_AUTO_INSTALL=0/));
  });

  it('installs redis-server with apt-get when PATH lacks it (root on Debian), and finds it where dpkg put it', { skip: !canInstall && 'not root on Debian/Ubuntu with apt-get', timeout: 300_000 }, async () => {
    const { dir, path: searchPath } = await pathWithout((name) => name.startsWith('redis-'));
    try {
      assert.equal(findOnPath('redis-server', searchPath), undefined);
      const log: string[] = [];
      const found = ensureCommands(['redis-server'], { searchPath, allowInstall: true, log: (line) => log.push(line) });
      assert.deepEqual(log, ['trtfarm: installing redis-server with apt-get (not found on PATH)…']);
      const version = spawnSync(found['redis-server'], ['--version'], { encoding: 'utf8' });
      assert.equal(version.status, 0, version.stderr);
      assert.match(version.stdout, /^Redis server v=\d/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
