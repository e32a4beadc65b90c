import { z } from 'zod';

import { MAX_IO_TENSORS } from '../../shared/network/limits.js';
import { nameSchema } from '../../shared/network/schema.js';
import { tensorJsonSchema } from '../../shared/network/tensor.js';
import { failureSchema, jobStatusSchema, planIdSchema } from './common.js';

export const inferRequestSchema = z.strictObject({
  plan: planIdSchema,
  inputs: z
    .record(nameSchema, tensorJsonSchema)
    // A limit, so too_big (answered 413, as v2's array .max is).
    .superRefine((inputs, ctx) => {
      const count = Object.keys(inputs).length;
      if (count > MAX_IO_TENSORS) {
        ctx.addIssue({ code: 'too_big', origin: 'object', maximum: MAX_IO_TENSORS, inclusive: true, input: inputs, message: `${count} inputs, at most ${MAX_IO_TENSORS}` });
      }
    }),
});

export const inferQuerySchema = z.object({
  // No upper bound here: a longer wait is clamped to TRTFARM_MAX_WAIT_MS by the route (zod's
  // .int() would refuse values past 2^53 as too_big, which reads as a 413).
  wait: z.coerce
    .number()
    .min(0)
    .refine(Number.isInteger, 'a whole number of milliseconds')
    .default(0)
    .describe('milliseconds to wait for the result before answering 202; more than TRTFARM_MAX_WAIT_MS waits that long'),
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
  // <class>.<job uuid>.<index in the job>; without the index: the job's first request.
  id: z.string().regex(/^[A-Za-z0-9_.-]+\.[0-9a-f-]{36}(\.\d{1,6})?$/, 'not an inference id'),
});
