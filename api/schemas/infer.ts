import { z } from 'zod';

import { MAX_IO_TENSORS } from '../../shared/network/limits.js';
import { nameSchema } from '../../shared/network/schema.js';
import { tensorJsonSchema } from '../../shared/network/tensor.js';
import { failureSchema, jobStatusSchema, planIdSchema } from './common.js';

export const inferRequestSchema = z.strictObject({
  plan: planIdSchema,
  inputs: z
    .record(nameSchema, tensorJsonSchema)
    .refine((inputs) => Object.keys(inputs).length <= MAX_IO_TENSORS, `at most ${MAX_IO_TENSORS} inputs`),
});

export const inferQuerySchema = z.object({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('milliseconds to wait for the result before answering 202 (capped by TRTFARM_MAX_WAIT_MS)'),
});

export const outputTensorSchema = z.object({ shape: z.array(z.number().int()), data: z.array(z.number()) });

export const inferStatusSchema = z.object({
  id: z.string(),
  status: jobStatusSchema,
  outputs: z.record(z.string(), outputTensorSchema).optional(),
  error: failureSchema.optional(),
});
export type InferStatus = z.infer<typeof inferStatusSchema>;

export const inferIdParamsSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.-]+\.[0-9a-f-]{36}$/, 'not an inference id'),
});
