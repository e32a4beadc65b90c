// The farm's REST API as the CLI uses it: TRTFARM_URL, TRTFARM_API_KEY, JSON in and out, and
// every error turned into a FarmError carrying the farm's own message. A farm under pressure
// (503 with Retry-After: its backpressure) is asked again after the time it gives, a few times.
import { setTimeout as sleep } from 'node:timers/promises';

import { FarmError } from './farm-error.js';

const BACKPRESSURE_RETRIES = 10;

export class FarmClient {
  constructor(
    readonly url: string,
    private readonly key?: string,
  ) {}

  async json<T>(method: string, route: string, body?: unknown): Promise<T> {
    const answer = await this.request(method, route, body);
    return (await answer.json()) as T;
  }

  async bytes(route: string): Promise<Buffer> {
    return Buffer.from(await (await this.request('GET', route)).arrayBuffer());
  }

  private async request(method: string, route: string, body?: unknown): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const answer = await this.send(method, route, body);
      const retryAfter = Number(answer.headers.get('retry-after'));
      if (answer.status !== 503 || !(retryAfter > 0) || attempt > BACKPRESSURE_RETRIES) return this.checked(answer);
      await answer.body?.cancel();
      await sleep(retryAfter * 1000);
    }
  }

  private async send(method: string, route: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.key) headers.authorization = `Bearer ${this.key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let answer: Response;
    try {
      answer = await fetch(new URL(route, this.url), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new FarmError(`cannot reach the farm at ${this.url} (TRTFARM_URL): ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    return answer;
  }

  private async checked(answer: Response): Promise<Response> {
    if (answer.ok) return answer;
    const text = await answer.text();
    let message = text;
    try {
      const parsed = JSON.parse(text) as { message?: string; error?: string };
      message = parsed.message ?? parsed.error ?? text;
    } catch {
      // not JSON: the text as it is
    }
    throw new FarmError(`${message} (HTTP ${answer.status})`, answer.status);
  }
}
