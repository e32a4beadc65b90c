// A tensorrt plan as a Triton model repository entry: `<name>/config.pbtxt` and
// `<name>/1/model.plan` (the bare engine, without trtfarm's plan around it).
import type { EngineAddon } from '../../shared/engine/types.js';
import type { FarmServices } from '../farm-services.js';
import { HttpError } from '../http-error.js';
import { tarArchive } from './tar.js';
import { tritonConfig } from './triton-config.js';

export const MODEL_FILES = ['config.pbtxt', 'model.plan'] as const;
export type ModelFile = (typeof MODEL_FILES)[number];

export interface ModelEntry {
  name: string;
  config: string;
  engine: Buffer;
  createdAt: Date;
}

// The default model name: Triton's names are directory names, a plan id is 64 characters.
export function defaultModelName(planId: string): string {
  return `trtfarm_${planId.slice(0, 16)}`;
}

// 404 for an unknown plan, 409 for a plan of another backend.
export async function modelEntry(farm: FarmServices, engine: EngineAddon, planId: string, name: string): Promise<ModelEntry> {
  const meta = await farm.planMeta(planId);
  if (!meta) throw new HttpError(404, `no plan ${planId}`);
  if (meta.backend !== 'tensorrt') {
    throw new HttpError(
      409,
      `plan ${planId} was built by the ${meta.backend} backend: only tensorrt plans hold a TensorRT engine (build with "backend": "tensorrt")`,
    );
  }
  const plan = await farm.store.get(planId);
  if (!plan) throw new HttpError(404, `no plan ${planId}`);
  return { name, config: tritonConfig(name, meta), engine: await engine.tensorrtEngine(plan), createdAt: new Date(meta.createdAt) };
}

export function modelArchive(entry: ModelEntry): Buffer {
  return tarArchive(
    [
      { path: `${entry.name}/` },
      { path: `${entry.name}/config.pbtxt`, data: Buffer.from(entry.config) },
      { path: `${entry.name}/1/` },
      { path: `${entry.name}/1/model.plan`, data: entry.engine },
    ],
    entry.createdAt,
  );
}
