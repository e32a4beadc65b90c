// A PATH like this process's, less some programs: one directory of links to every program on
// PATH but those. What a machine without redis-server looks like, without uninstalling it.
import { mkdtemp, readdir, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export async function pathWithout(left: (name: string) => boolean): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'trtfarm-path-'));
  const seen = new Set<string>();
  for (const from of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const names = await readdir(from).catch(() => [] as string[]);
    for (const name of names) {
      if (seen.has(name) || left(name)) continue;
      seen.add(name);
      await symlink(path.join(from, name), path.join(dir, name));
    }
  }
  return { dir, path: dir };
}
