// PlanStore on a local (or network-mounted) directory: <dir>/<id>.plan and <id>.json.
// Writes go to a temporary file first and are renamed into place, so a reader (or a crash)
// never sees half a plan; the meta is written last, so meta present ⇒ plan present.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { planIdOf } from './plan-id.js';
import { isPlanId, type PlanMeta } from './plan-meta.js';
import type { PlanStore } from './plan-store.js';

export class FsPlanStore implements PlanStore {
  constructor(private readonly dir: string) {}

  async put(plan: Uint8Array, meta: Omit<PlanMeta, 'id' | 'bytes'>): Promise<PlanMeta> {
    const id = await planIdOf(plan);
    const full: PlanMeta = { ...meta, id, bytes: plan.byteLength };
    const existing = await this.meta(id);
    if (existing) return existing;
    await mkdir(this.dir, { recursive: true });
    await this.writeAtomically(`${id}.plan`, plan);
    await this.writeAtomically(`${id}.json`, JSON.stringify(full, null, 2));
    return full;
  }

  async get(id: string): Promise<Buffer | undefined> {
    if (!isPlanId(id) || !(await this.meta(id))) return undefined;
    return readIfExists(path.join(this.dir, `${id}.plan`));
  }

  async meta(id: string): Promise<PlanMeta | undefined> {
    if (!isPlanId(id)) return undefined;
    const text = await readIfExists(path.join(this.dir, `${id}.json`));
    return text ? (JSON.parse(text.toString('utf8')) as PlanMeta) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    if (!(await this.meta(id))) return false;
    await rm(path.join(this.dir, `${id}.json`), { force: true });
    await rm(path.join(this.dir, `${id}.plan`), { force: true });
    return true;
  }

  async count(): Promise<number> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names.filter((name) => name.endsWith('.json')).length;
  }

  private async writeAtomically(name: string, data: Uint8Array | string): Promise<void> {
    const temporary = path.join(this.dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, data, { flush: true });
      await rename(temporary, path.join(this.dir, name));
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
