import { z } from 'zod';
import { PRECISIONS } from '../../shared/network/build-request.js';

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
