// The queue dashboard (bull-board) at /ui: every build and infer queue of the farm. The list
// is refreshed from the queue catalog whenever the dashboard is used, so a class whose first
// worker started a moment ago appears on the next page load or poll. Read-only: removing or
// emptying jobs from a page would lose accepted work and leave the farm's own records behind.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';

import type { QueueCatalog } from './queue-catalog.js';

export const DASHBOARD_PATH = '/ui';

export async function installDashboard(app: FastifyInstance, catalog: QueueCatalog): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  const board = createBullBoard({ queues: [], serverAdapter, options: { uiConfig: { boardTitle: 'trtfarm' } } });
  const adapters = new Map<string, BullMQAdapter>();
  let shown = '';

  await app.register(async (scope) => {
    scope.addHook('onRequest', async () => {
      const names = await catalog.names();
      if (names.join(',') === shown) return;
      for (const name of names) if (!adapters.has(name)) adapters.set(name, new BullMQAdapter(app.farm.queue(name), { readOnlyMode: true }));
      board.replaceQueues(names.map((name) => adapters.get(name)!));
      shown = names.join(',');
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
  });
}
