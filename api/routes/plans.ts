import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { BACKENDS, buildNameSchema, PRECISIONS } from '../../shared/network/build-request.js';
import type { PlanMeta } from '../../shared/store/plan-meta.js';
import type { FarmServices } from '../farm-services.js';
import { HttpError } from '../http-error.js';
import { errorSchema, planParamsSchema } from '../schemas/common.js';
import { planMetaSchema } from '../../shared/store/plan-meta.js';

const MAX_PAGE = 500;
// Catalog entries one list request reads at most: a filter that matches rarely answers with
// fewer plans and a cursor, instead of reading the whole catalog.
const MAX_SCANNED = 5000;

const listQuery = z.strictObject({
  name: buildNameSchema.optional(),
  backend: z.enum(BACKENDS).optional(),
  precision: z.enum(PRECISIONS).optional(),
  limit: z.coerce.number().int().min(1).default(50).transform((limit) => Math.min(limit, MAX_PAGE)).describe(`at most ${MAX_PAGE} (more is clamped)`),
  cursor: z.string().regex(/^[0-9]{1,15}$/, 'a cursor is the `next` of an earlier page').optional(),
});

export const planRoutes: FastifyPluginAsyncZod = async (app) => {
  const { farm } = app;

  app.get(
    '/v1/plans',
    {
      schema: {
        summary: 'Plan metas, newest first (filters: name, backend, precision; paging: limit, cursor)',
        querystring: listQuery,
        response: { 200: z.object({ plans: z.array(planMetaSchema), next: z.string().optional().describe('the cursor of the next page') }), '4xx': errorSchema },
      },
    },
    async (request) => {
      const { name, backend, precision, limit, cursor } = request.query;
      const plans: PlanMeta[] = [];
      let before = cursor === undefined ? undefined : Number(cursor);
      let scanned = 0;
      while (plans.length < limit && scanned < MAX_SCANNED) {
        const page = await farm.catalog.page(Math.min(limit - plans.length, MAX_PAGE), { name, before });
        scanned += page.entries.length;
        const metas = await Promise.all(page.entries.map((entry) => farm.planMeta(entry.planId)));
        for (const [i, meta] of metas.entries()) {
          before = page.entries[i].seq;
          if (meta && (!backend || meta.backend === backend) && (!precision || meta.precision === precision)) plans.push(meta);
        }
        if (page.next === undefined) {
          before = undefined;
          break;
        }
      }
      const named = await Promise.all(plans.map(async (meta) => ({ ...meta, names: await farm.catalog.namesOf(meta.id) })));
      return before === undefined ? { plans: named } : { plans: named, next: String(before) };
    },
  );

  app.get(
    '/v1/plans/:planId',
    {
      schema: {
        summary: 'The serialized plan',
        params: planParamsSchema,
        response: { 200: z.any().describe('application/octet-stream'), '4xx': errorSchema },
      },
      // A Buffer is sent as it is; errors still go out as JSON, unchecked.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request, reply) => {
      const plan = await farm.store.get(request.params.planId);
      if (!plan) throw new HttpError(404, `no plan ${request.params.planId}`);
      return reply.type('application/octet-stream').send(plan);
    },
  );

  app.get(
    '/v1/plans/:planId/meta',
    {
      schema: { summary: "A plan's meta (PlanMeta)", params: planParamsSchema, response: { 200: planMetaSchema, '4xx': errorSchema } },
    },
    async (request) => ({ ...(await metaOrThrow(farm, request.params.planId)), names: await farm.catalog.namesOf(request.params.planId) }),
  );

  app.delete(
    '/v1/plans/:planId',
    {
      schema: {
        summary: 'Remove a plan (the builds and sweeps that made it then say so, and build it again when submitted again)',
        params: planParamsSchema,
        response: { 200: z.object({ id: z.string(), deleted: z.literal(true) }), '4xx': errorSchema },
      },
    },
    async (request) => {
      const { planId } = request.params;
      // Out of the list and the names first: nothing resolves to a plan being removed.
      await farm.catalog.remove(planId);
      if (!(await farm.store.delete(planId))) throw new HttpError(404, `no plan ${planId}`);
      farm.forgetPlan(planId);
      return { id: planId, deleted: true as const };
    },
  );
};

async function metaOrThrow(farm: FarmServices, planId: string): Promise<PlanMeta> {
  const meta = await farm.planMeta(planId);
  if (!meta) throw new HttpError(404, `no plan ${planId}`);
  return meta;
}
