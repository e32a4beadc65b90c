// Figures each API process keeps for itself (inference counters, Prometheus series), answered
// for the whole server. With TRTFARM_API_PROCESSES > 1 a request reaches one process of
// several; it asks the primary, which collects every process's part (api-primary.ts). A
// process on its own (tests, TRTFARM_API_PROCESSES=1) answers with its own part.
import cluster from 'node:cluster';

import { isClusterMessage, type GatherReply, type GatherTopic, type GatherTopics, type PartReply } from './messages.js';

// The primary answers within its own deadline (GATHER_DEADLINE_MS there); this is for a primary
// that is gone.
const ASK_TIMEOUT_MS = 10_000;

type Provider<K extends GatherTopic> = () => GatherTopics[K] | Promise<GatherTopics[K]>;

export class PeerGather {
  private readonly providers = new Map<GatherTopic, Provider<GatherTopic>>();
  private readonly waiting = new Map<number, (parts: unknown[]) => void>();
  private nextId = 0;
  private readonly inCluster = cluster.isWorker && typeof process.send === 'function';
  private readonly onMessage = (message: unknown) => {
    if (!isClusterMessage(message)) return;
    if (message.kind === 'trtfarm:part-request') void this.answer(message.id, message.topic);
    else if (message.kind === 'trtfarm:gathered') this.receive(message);
  };

  constructor() {
    if (this.inCluster) process.on('message', this.onMessage);
  }

  provide<K extends GatherTopic>(topic: K, provider: Provider<K>): void {
    this.providers.set(topic, provider as Provider<GatherTopic>);
  }

  // Every process's part, this one's among them.
  async gather<K extends GatherTopic>(topic: K): Promise<GatherTopics[K][]> {
    if (!this.inCluster) return [await this.part(topic)];
    const id = this.nextId++;
    const parts = await new Promise<unknown[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`the API's other processes did not answer within ${ASK_TIMEOUT_MS} ms`));
      }, ASK_TIMEOUT_MS);
      this.waiting.set(id, (received) => {
        clearTimeout(timer);
        resolve(received);
      });
      process.send!({ kind: 'trtfarm:gather', id, topic });
    });
    return parts as GatherTopics[K][];
  }

  close(): void {
    process.off('message', this.onMessage);
  }

  private async part<K extends GatherTopic>(topic: K): Promise<GatherTopics[K]> {
    const provider = this.providers.get(topic);
    if (!provider) throw new Error(`nothing provides ${topic}`);
    return (await provider()) as GatherTopics[K];
  }

  private async answer(id: number, topic: GatherTopic): Promise<void> {
    let reply: PartReply;
    try {
      reply = { kind: 'trtfarm:part', id, part: await this.part(topic) };
    } catch (error) {
      reply = { kind: 'trtfarm:part', id, error: (error as Error).message };
    }
    process.send?.(reply);
  }

  private receive(message: GatherReply): void {
    this.waiting.get(message.id)?.(message.parts);
    this.waiting.delete(message.id);
  }
}
