import { z } from 'zod';

import { failureSchema, jobStatusSchema } from './common.js';
import { planMetaSchema } from '../../shared/store/plan-meta.js';

export const buildStatusSchema = z.object({
  id: z.string().describe('content hash of the normalized request and its target: the same request gets the same id'),
  status: jobStatusSchema,
  progress: z.number().min(0).max(100),
  plan: planMetaSchema.optional(),
  error: failureSchema.optional(),
});
export type BuildStatus = z.infer<typeof buildStatusSchema>;

export const buildAcceptedSchema = z.object({ id: z.string(), status: jobStatusSchema });
