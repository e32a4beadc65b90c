import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const workerSchema = z.object({
  id: z.string(),
  backend: z.enum(['cpu', 'cuda', 'tensorrt']),
  device: z.object({
    index: z.union([z.number().int(), z.literal('cpu')]),
    name: z.string(),
    computeCapability: z.string().optional(),
    memoryBytes: z.number().optional(),
  }),
  serves: z
    .array(z.object({ backend: z.string(), compatKey: z.string(), portable: z.boolean().optional().describe('runs, never builds') }))
    .describe('what plans it builds and runs'),
  queues: z.array(z.string()),
  versions: z.record(z.string(), z.string()),
  host: z.string(),
  pid: z.number().int(),
  startedAt: z.string(),
  lastSeen: z.string(),
});

export const workerRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/workers',
    { schema: { summary: 'The live workers (those whose heartbeat has not expired)', response: { 200: z.array(workerSchema) } } },
    async () => app.farm.directory.live(),
  );
};
