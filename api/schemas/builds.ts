import { z } from 'zod';

import { failureSchema, jobStatusSchema } from './common.js';
import { planMetaSchema } from '../../shared/store/plan-meta.js';

export const buildStatusSchema = z.object({
  id: z.string().describe('content hash of the normalized request and its target: the same request gets the same id'),
  status: jobStatusSchema,
  progress: z.number().min(0).max(100),
  plan: planMetaSchema.optional(),
  error: failureSchema.optional(),
  deletedPlan: z.string().optional().describe('the plan this build made, since deleted (DELETE /v1/plans/:planId); submitting it again builds it again'),
});
export type BuildStatus = z.infer<typeof buildStatusSchema>;

export const buildAcceptedSchema = z.object({ id: z.string(), status: jobStatusSchema });
