// What the API's processes and their primary say to each other over node:cluster's IPC channel
// (api-primary.ts relays, peer-gather.ts asks and answers). The kinds are prefixed so that
// other users of the channel (prom-client's own cluster support, if ever loaded) are left alone.
import type { MetricObjectWithValues, MetricValue } from 'prom-client';

import type { StatsSnapshot } from '../infer/inference-stats.js';

// A process's part of each figure the whole server answers for.
export interface GatherTopics {
  'inference-stats': StatsSnapshot;
  metrics: MetricObjectWithValues<MetricValue<string>>[];
}
export type GatherTopic = keyof GatherTopics;

// process → primary: collect every process's part of `topic` (the asker's included).
export interface GatherRequest {
  kind: 'trtfarm:gather';
  id: number;
  topic: GatherTopic;
}
// primary → every process: your part, please.
export interface PartRequest {
  kind: 'trtfarm:part-request';
  id: number;
  topic: GatherTopic;
}
// process → primary: a part, or why there is none.
export interface PartReply {
  kind: 'trtfarm:part';
  id: number;
  part?: unknown;
  error?: string;
}
// primary → asker: the parts of the processes that answered in time.
export interface GatherReply {
  kind: 'trtfarm:gathered';
  id: number;
  parts: unknown[];
}

export type ClusterMessage = GatherRequest | PartRequest | PartReply | GatherReply;

export function isClusterMessage(message: unknown): message is ClusterMessage {
  return typeof message === 'object' && message !== null && typeof (message as { kind?: unknown }).kind === 'string' && (message as { kind: string }).kind.startsWith('trtfarm:');
}
