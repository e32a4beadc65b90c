// Polls a job's status until it has finished, showing its progress.
import { setTimeout as sleep } from 'node:timers/promises';

import type { FarmClient } from './farm-client.js';
import { Progress } from './progress.js';

const POLL_MS = 200;

export interface JobState {
  id: string;
  status: 'queued' | 'active' | 'completed' | 'failed';
  progress?: number;
  error?: { message: string };
}

export async function waitFor<T extends JobState>(client: FarmClient, route: string, label: string): Promise<T> {
  const progress = new Progress(label);
  try {
    for (;;) {
      const state = await client.json<T>('GET', route);
      progress.update(state.status, state.status === 'completed' ? 100 : (state.progress ?? 0));
      if (state.status === 'completed' || state.status === 'failed') return state;
      await sleep(POLL_MS);
    }
  } finally {
    progress.stop();
  }
}
