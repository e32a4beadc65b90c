import { z } from 'zod';

import {
  BACKEND_CHOICES,
  buildNameSchema,
  checkModelGiven,
  checkProfile,
  modelFields,
  PRECISIONS,
  profileSchema,
  variantFields,
} from '../../shared/network/build-request.js';
import { MAX_SWEEP_VARIANTS } from '../../shared/network/limits.js';
import { buildStatusSchema } from './builds.js';
import { failureSchema } from './common.js';

const variantSchema = z.strictObject(variantFields);

export const sweepIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a sweep id is 64 lowercase hexadecimal digits (a sha256)');

// Everything of a sweep request but its model: the JSON body's other fields, or a multipart
// request's `options` part.
const sweepOptionFields = {
  name: buildNameSchema.optional(),
  report: z.boolean().default(true).describe('false: no measured reports (then no `best`)'),
  variants: z.array(variantSchema).min(1).max(MAX_SWEEP_VARIANTS).optional().describe('the list form: one entry per build'),
  precisions: z.array(z.enum(PRECISIONS)).min(1).max(PRECISIONS.length).optional().describe('the grid form (default ["fp32"])'),
  profiles: z.array(profileSchema).min(1).max(MAX_SWEEP_VARIANTS).optional().describe('the grid form (default: no profile)'),
  backends: z.array(z.enum(BACKEND_CHOICES)).min(1).max(BACKEND_CHOICES.length).optional().describe('the grid form (default ["auto"])'),
  batch: z.number().int().min(1).optional().describe("the batch plans are compared at for `best` (default: the smallest opt batch among the variants)"),
};

interface SweepShape {
  variants?: z.output<typeof variantSchema>[];
  precisions?: unknown[];
  profiles?: z.output<typeof profileSchema>[];
  backends?: unknown[];
}

function checkSweep(request: SweepShape, ctx: z.RefinementCtx): void {
  const grid = request.precisions !== undefined || request.profiles !== undefined || request.backends !== undefined;
  if ((request.variants !== undefined) === grid) {
    ctx.addIssue({ code: 'custom', path: [], message: 'give either "variants" or the grid ("precisions", "profiles", "backends")' });
    return;
  }
  const count = (request.precisions?.length ?? 1) * (request.profiles?.length ?? 1) * (request.backends?.length ?? 1);
  if (grid && count > MAX_SWEEP_VARIANTS) {
    ctx.addIssue({ code: 'custom', path: [], message: `the grid has ${count} combinations: at most ${MAX_SWEEP_VARIANTS} variants` });
  }
  request.variants?.forEach((variant, i) => checkProfile(variant.profile, ctx, ['variants', i, 'profile']));
  request.profiles?.forEach((profile, i) => checkProfile(profile, ctx, ['profiles', i]));
}

export const sweepOptionsSchema = z.strictObject(sweepOptionFields).superRefine(checkSweep);
export type SweepOptions = z.output<typeof sweepOptionsSchema>;

export const sweepRequestSchema = z
  .strictObject({ ...modelFields, ...sweepOptionFields })
  .superRefine((request, ctx) => {
    checkModelGiven(request, ctx);
    checkSweep(request, ctx);
  });

const sweepBuildSchema = z.object({
  id: z.string().describe('the id POST /v1/builds gives the same network with this variant'),
  precision: z.enum(PRECISIONS),
  profile: profileSchema.optional(),
  backend: z.string().describe('the backend the variant was routed to'),
});

export const sweepAcceptedSchema = z.object({
  id: z.string().describe('content hash of the variants\' build ids and the comparison batch'),
  status: z.enum(['queued', 'active', 'completed']),
  builds: z.array(sweepBuildSchema),
});

export const sweepStatusSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'active', 'completed']),
  progress: z.number().min(0).max(100),
  batch: z.number().int().describe('the batch plans are compared at'),
  builds: z.array(
    sweepBuildSchema.extend({
      status: buildStatusSchema.shape.status,
      plan: buildStatusSchema.shape.plan,
      error: failureSchema.optional(),
      deletedPlan: z.string().optional(),
      atBatch: z
        .object({ batch: z.number().int(), p50Ms: z.number(), p99Ms: z.number(), rowsPerSecond: z.number() })
        .optional()
        .describe("the plan's report at the sweep's batch (absent where its profile does not admit it)"),
    }),
  ),
  best: z.object({ planId: z.string(), buildId: z.string(), why: z.string() }).optional(),
});
export type SweepStatus = z.infer<typeof sweepStatusSchema>;
