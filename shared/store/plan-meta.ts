// What the farm knows about a stored plan: the engine's own description of it (PlanInfo)
// plus where and how it was built. The API validates inference inputs against it and routes
// inferences by its compatKey, without loading the plan. The schema is the type (z.infer) and
// the API's answer schema both.
import { z } from 'zod';

import { PRECISIONS } from '../network/build-request.js';

const tensorInfoSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int()).describe('-1 for the dynamic batch'),
  dtype: z.literal('float32'),
});

const rangeSchema = z.object({ min: z.array(z.number().int()), opt: z.array(z.number().int()), max: z.array(z.number().int()) });

export const planMetaSchema = z
  .object({
    id: z.string().describe('sha256 of the plan bytes'),
    backend: z.enum(['cpu', 'cuda', 'tensorrt']),
    backendVersion: z.string(),
    compatKey: z.string().describe('hardware and library versions the plan runs on'),
    formatVersion: z.number().int(),
    device: z.object({ name: z.string(), computeCapability: z.string().optional(), memoryBytes: z.number().optional() }),
    precision: z.enum(PRECISIONS),
    batch: z.object({ min: z.number().int(), opt: z.number().int(), max: z.number().int() }),
    inputs: z.array(tensorInfoSchema),
    outputs: z.array(tensorInfoSchema),
    profile: z.record(z.string(), rangeSchema).optional(),
    tactics: z.unknown().optional().describe("the backend's autotuning choices"),
    bytes: z.number().int(),
    buildMs: z.number(),
    createdAt: z.string(),
    buildId: z.string().optional(),
  })
  .describe('PlanMeta: what a stored plan is and how it was built');

export type PlanMeta = z.infer<typeof planMetaSchema>;

const PLAN_ID = /^[0-9a-f]{64}$/;

export function isPlanId(text: string): boolean {
  return PLAN_ID.test(text);
}
