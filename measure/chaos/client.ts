/**
 * A client as impatient as real ones: each call times out, and is retried with the same
 * Idempotency-Key until the API gives a definite answer; some calls are sent twice at once.
 * A definite answer is any 2xx or 4xx; 5xx and network errors mean "unknown, try again".
 */
import { randomUUID } from 'node:crypto';

export interface ClientOptions {
  baseUrl: string;
  timeoutMs: number;
  /** Probability that a call is sent twice concurrently (same key). */
  duplicateRate: number;
  /** Give up (and count the lifecycle as stuck) after this long. */
  deadlineMs: number;
  random: () => number;
}

export interface ClientStats {
  calls: number;
  retries: number;
  timeouts: number;
  duplicates: number;
  unavailable: number;
}

export interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export class ImpatientClient {
  readonly stats: ClientStats = { calls: 0, retries: 0, timeouts: 0, duplicates: 0, unavailable: 0 };
  /** Duplicate pairs whose answers differed: a broken idempotency promise. */
  readonly mismatches: string[] = [];

  constructor(private readonly options: ClientOptions) {}

  private async once(method: string, path: string, token: string, key: string, body: unknown): Promise<Answer | null> {
    try {
      const res = await fetch(`${this.options.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'idempotency-key': key,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const text = await res.text();
      if (res.status >= 500) {
        this.stats.unavailable += 1;
        return null;
      }
      return { status: res.status, body: text ? JSON.parse(text) : null };
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') this.stats.timeouts += 1;
      return null;
    }
  }

  /** Sends until a definite answer; the same key on every attempt. */
  async send(method: string, path: string, token: string, body?: unknown, key: string = randomUUID()): Promise<Answer> {
    const deadline = Date.now() + this.options.deadlineMs;
    let delay = 100;
    for (let attempt = 0; ; attempt += 1) {
      this.stats.calls += 1;
      if (attempt > 0) this.stats.retries += 1;
      let answer: Answer | null;
      if (method === 'POST' && this.options.random() < this.options.duplicateRate) {
        this.stats.duplicates += 1;
        const [a, b] = await Promise.all([
          this.once(method, path, token, key, body),
          this.once(method, path, token, key, body),
        ]);
        if (a && b && (a.status !== b.status || JSON.stringify(a.body) !== JSON.stringify(b.body))) {
          this.mismatches.push(
            `${method} ${path}: ${a.status} ${JSON.stringify(a.body).slice(0, 200)} vs ${b.status} ${JSON.stringify(b.body).slice(0, 200)}`,
          );
        }
        answer = a ?? b;
      } else {
        answer = await this.once(method, path, token, key, body);
      }
      if (answer) return answer;
      if (Date.now() > deadline)
        throw new Error(`${method} ${path}: no definite answer within ${this.options.deadlineMs}ms`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2_000);
    }
  }
}
