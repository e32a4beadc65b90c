import { z } from 'zod';

export const errorSchema = z
  .object({ statusCode: z.number().int(), error: z.string(), message: z.string() })
  .describe('what went wrong, for a person to read');

const sha256Hex = (what: string) =>
  z.string().regex(/^[0-9a-f]{64}$/, `${what} is 64 lowercase hexadecimal digits (a sha256)`);

export const planIdSchema = sha256Hex('a plan id');
export const buildIdSchema = sha256Hex('a build id');

export const planParamsSchema = z.object({ planId: planIdSchema });

export const jobStatusSchema = z.enum(['queued', 'active', 'completed', 'failed']);
export type JobStatus = z.infer<typeof jobStatusSchema>;

// BullMQ's states as the contract's four: a job waiting for a retry is still queued.
export function contractStatus(state: string): JobStatus {
  if (state === 'active' || state === 'completed' || state === 'failed') return state;
  return 'queued';
}

export const failureSchema = z.object({ message: z.string() });
