/**
 * One webhook attempt on the wire: the Standard Webhooks headers (webhook-id, webhook-timestamp,
 * webhook-signature), signed with the `standardwebhooks` package, and a POST that connects only
 * to the address the SSRF guard checked, follows no redirect and gives up after its time.
 */
import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { checkLiteralHost, guardedLookup, type AddressLookup } from './webhook-url';

export const CLOUDEVENTS_JSON = 'application/cloudevents+json; charset=utf-8';

export interface WebhookHeaders extends Record<string, string> {
  'content-type': string;
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Headers for one attempt. With several secrets (a rotation's overlap) the signature header
 * carries one `v1,<signature>` per secret, space-separated, as the specification allows.
 */
export function webhookHeaders(id: string, body: string, secrets: readonly string[], at: Date): WebhookHeaders {
  return {
    'content-type': CLOUDEVENTS_JSON,
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' '),
  };
}

export interface PostOptions {
  timeoutMs: number;
  allowedHosts: readonly string[];
  lookup?: AddressLookup;
  userAgent?: string;
}

export interface PostResult {
  /** The subscriber's HTTP status: all the delivery log keeps of its answer (never its body). */
  status: number;
}

/** The subscriber gave no complete answer within the attempt's time. */
export class WebhookTimeout extends Error {
  override name = 'WebhookTimeout';
}

/** Resolves with any HTTP answer (2xx or not); rejects on refusal, network error or timeout. */
export function postWebhook(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: PostOptions,
): Promise<PostResult> {
  checkLiteralHost(url, options.allowedHosts);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const req = transport.request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': options.userAgent ?? 'qtm-os-webhooks/1',
        },
        lookup: guardedLookup(options.allowedHosts, options.lookup),
        // One connection per attempt: a pooled socket would skip the lookup (and its check).
        agent: false,
      },
      (res) => {
        // The body is read to its end (the answer is complete then) and dropped unread.
        res.resume();
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0 });
        });
        res.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      },
    );
    const timer = setTimeout(
      () => req.destroy(new WebhookTimeout(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}
