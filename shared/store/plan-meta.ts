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

export const planReportSchema = z
  .object({
    latency: z.array(
      z.object({ batch: z.number().int(), p50Ms: z.number(), p90Ms: z.number(), p99Ms: z.number(), runs: z.number().int() }),
    ),
    throughput: z.array(z.object({ batch: z.number().int(), rowsPerSecond: z.number() })),
    accuracy: z.object({
      reference: z.literal('float64'),
      batch: z.number().int().describe('the batch the outputs were compared at (the profile\'s min)'),
      relErr: z.number().describe('largest absolute difference over the largest reference magnitude (at least 1)'),
      maxAbsErr: z.number(),
      tolerance: z.number().describe('fp32 1e-5, tf32 1e-3, fp16 and bf16 1e-2 (fp8 1e-1)'),
      pass: z.boolean(),
    }),
    ms: z.number().describe('how long the measurement took'),
  })
  .describe("measured on the worker right after the build, on fresh random inputs: Engine.infer host to host at the profile's min, opt and max batch, and the outputs against a float64 evaluation");

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
    report: planReportSchema.optional(),
    timingCacheHits: z.number().int().optional().describe("autotuning choices taken from the fleet's timing cache"),
    names: z.array(z.string()).optional().describe('the names given to builds of this plan'),
  })
  .describe('PlanMeta: what a stored plan is and how it was built');

export type PlanMeta = z.infer<typeof planMetaSchema>;
export type PlanReport = z.infer<typeof planReportSchema>;

const PLAN_ID = /^[0-9a-f]{64}$/;

export function isPlanId(text: string): boolean {
  return PLAN_ID.test(text);
}
