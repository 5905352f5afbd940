/**
 * A fetch as impatient as real clients: each call times out, and is sent again (the same
 * request, so the same Idempotency-Key) until the API gives a definite answer; some calls are
 * sent twice at once. A definite answer is any 2xx or 4xx; 5xx and network errors mean
 * "unknown, try again". The typed client runs on it (qtmClient({ fetch })).
 */
export interface ImpatienceOptions {
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
  /** The 5xx answers by status code: 503s are the API's "try again"; a 500 would be a bug. */
  unavailableByStatus: Record<number, number>;
}

/** How many 5xx answers came, whatever their code. */
export const unavailable = (stats: ClientStats): number =>
  Object.values(stats.unavailableByStatus).reduce((sum, n) => sum + n, 0);

interface Definite {
  status: number;
  headers: Headers;
  text: string;
}

export class ImpatientFetch {
  readonly stats: ClientStats = {
    calls: 0,
    retries: 0,
    timeouts: 0,
    duplicates: 0,
    unavailableByStatus: {},
  };
  /** Duplicate pairs whose answers differed: a broken idempotency promise. */
  readonly mismatches: string[] = [];

  constructor(private readonly options: ImpatienceOptions) {}

  private async once(request: Request): Promise<Definite | null> {
    try {
      const res = await fetch(request.clone(), { signal: AbortSignal.timeout(this.options.timeoutMs) });
      const text = await res.text();
      if (res.status >= 500) {
        this.stats.unavailableByStatus[res.status] = (this.stats.unavailableByStatus[res.status] ?? 0) + 1;
        return null;
      }
      return { status: res.status, headers: res.headers, text };
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') this.stats.timeouts += 1;
      return null;
    }
  }

  /** Sends until a definite answer; the same request (and key) on every attempt. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const deadline = Date.now() + this.options.deadlineMs;
    let delay = 100;
    for (let attempt = 0; ; attempt += 1) {
      this.stats.calls += 1;
      if (attempt > 0) this.stats.retries += 1;
      let answer: Definite | null;
      if (request.method === 'POST' && this.options.random() < this.options.duplicateRate) {
        this.stats.duplicates += 1;
        const [a, b] = await Promise.all([this.once(request), this.once(request)]);
        if (a && b && (a.status !== b.status || a.text !== b.text)) {
          const url = new URL(request.url).pathname;
          this.mismatches.push(
            `${request.method} ${url}: ${a.status} ${a.text.slice(0, 200)} vs ${b.status} ${b.text.slice(0, 200)}`,
          );
        }
        answer = a ?? b;
      } else {
        answer = await this.once(request);
      }
      if (answer) return new Response(answer.text || null, { status: answer.status, headers: answer.headers });
      if (Date.now() > deadline) {
        throw new Error(`${request.method} ${request.url}: no definite answer within ${this.options.deadlineMs}ms`);
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2_000);
    }
  };
}
