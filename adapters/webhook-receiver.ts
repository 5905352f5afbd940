/**
 * A small webhook receiver, as a subscriber would write one: an HTTP server that verifies each
 * delivery's Standard Webhooks signature with the `standardwebhooks` package, parses the body as a
 * CloudEvent with the `cloudevents` package, and answers 204 (or 401 when no trusted secret
 * verifies it). The demo starts one to print the lifecycle's events; the tests start one to check
 * what arrives, and tell it to fail for a while.
 *
 *   const receiver = await startWebhookReceiver({ onEvent: (e) => console.log(e.type, e.subject) });
 *   const { secret } = await POST /v1/webhooks { url: receiver.url, eventTypes: [...] };
 *   receiver.trust(secret);
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP, type CloudEventV1 } from 'cloudevents';
import { Webhook } from 'standardwebhooks';

export interface VerifiedEvent {
  webhookId: string;
  /** webhook-timestamp: when this attempt was signed (Unix seconds). */
  timestamp: number;
  type: string;
  source: string;
  subject: string;
  time: string;
  sequence: string;
  data: Record<string, unknown>;
  /** Indexes (into the trusted secrets, in the order trusted) of every secret that verifies it. */
  verifiedBy: number[];
  receivedAt: Date;
}

export interface RejectedDelivery {
  webhookId: string | undefined;
  reason: string;
}

/** What to do with a delivery instead of accepting it: answer a status, or never answer. */
export type ReceiverBehaviour = (delivery: { webhookId: string | undefined }) => 'accept' | 'hang' | number;

export interface ReceiverOptions {
  port?: number;
  host?: string;
  secrets?: string[];
  onEvent?: (event: VerifiedEvent) => void;
  behaviour?: ReceiverBehaviour;
}

export interface WebhookReceiver {
  url: string;
  /** Verified, accepted deliveries in arrival order (a redelivered event appears again). */
  events: VerifiedEvent[];
  /** Deliveries no trusted secret verified, or that were not a CloudEvent. */
  rejected: RejectedDelivery[];
  /** Deliveries answered by the behaviour rather than accepted. */
  refused: number;
  trust(secret: string): void;
  /** Replaces the trusted secrets (e.g. to stop trusting a rotated-out one). */
  setSecrets(secrets: string[]): void;
  setBehaviour(behaviour: ReceiverBehaviour | undefined): void;
  /** Resolves with the events once `done(events)` holds. */
  waitFor(done: (events: VerifiedEvent[]) => boolean, timeoutMs?: number): Promise<VerifiedEvent[]>;
  stop(): Promise<void>;
}

const header = (req: http.IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export async function startWebhookReceiver(options: ReceiverOptions = {}): Promise<WebhookReceiver> {
  let secrets = [...(options.secrets ?? [])];
  let behaviour = options.behaviour;
  const events: VerifiedEvent[] = [];
  const rejected: RejectedDelivery[] = [];
  const waiters = new Set<() => void>();
  let refused = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const webhookId = header(req, 'webhook-id');
      const decided = behaviour?.({ webhookId }) ?? 'accept';
      if (decided === 'hang') {
        refused += 1;
        return; // the sender's timeout ends it
      }
      if (decided !== 'accept') {
        refused += 1;
        res.writeHead(decided).end('not now');
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': webhookId ?? '',
        'webhook-timestamp': header(req, 'webhook-timestamp') ?? '',
        'webhook-signature': header(req, 'webhook-signature') ?? '',
      };
      const verifiedBy = secrets.flatMap((secret, i) => {
        try {
          new Webhook(secret).verify(body, headers);
          return [i];
        } catch {
          return [];
        }
      });
      if (verifiedBy.length === 0) {
        rejected.push({ webhookId, reason: 'no trusted secret verifies the signature' });
        res.writeHead(401).end('signature not verified');
        return;
      }
      let event: CloudEventV1<unknown> | CloudEventV1<unknown>[];
      try {
        event = HTTP.toEvent({ headers: req.headers, body });
      } catch (error) {
        rejected.push({ webhookId, reason: `not a CloudEvent: ${(error as Error).message}` });
        res.writeHead(400).end('not a CloudEvent');
        return;
      }
      const ce = (Array.isArray(event) ? event[0]! : event) as CloudEventV1<unknown> & { sequence?: unknown };
      const verified: VerifiedEvent = {
        webhookId: headers['webhook-id'],
        timestamp: Number(headers['webhook-timestamp']),
        type: String(ce.type),
        source: String(ce.source),
        subject: String(ce.subject),
        time: String(ce.time),
        sequence: String(ce.sequence),
        data: ce.data as Record<string, unknown>,
        verifiedBy,
        receivedAt: new Date(),
      };
      events.push(verified);
      res.writeHead(204).end();
      options.onEvent?.(verified);
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/webhooks`,
    events,
    rejected,
    get refused() {
      return refused;
    },
    trust: (secret) => void secrets.push(secret),
    setSecrets: (next) => void (secrets = [...next]),
    setBehaviour: (next) => void (behaviour = next),
    waitFor(done, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!done(events)) return;
          cleanup();
          resolve(events);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`webhook receiver: not done after ${timeoutMs} ms (${events.length} events received)`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
