/**
 * The SSRF guard for subscriber URLs. A URL whose host is, or resolves to, anything but a public
 * unicast address (loopback, private, link-local, unique-local, CGNAT, multicast, reserved, …) is
 * refused, unless WEBHOOK_ALLOWED_HOSTS names it: a host name entry allows that host name as
 * written in the URL, an IP address or CIDR entry an IP literal host within it.
 *
 * Checked when subscribing and again at every delivery. At delivery the check sits in the socket's
 * own DNS lookup (guardedLookup), so the address connected to is the address checked: a name that
 * resolves to a public address when asked and to 127.0.0.1 a moment later (DNS rebinding) is refused.
 */
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export class WebhookUrlRefused extends Error {
  override name = 'WebhookUrlRefused';
}

/** All addresses a host name resolves to. */
export type AddressLookup = (hostname: string) => Promise<string[]>;

const LOOKUP_TIMEOUT_MS = 5_000;

export const systemLookup: AddressLookup = async (hostname) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`DNS lookup timed out after ${LOOKUP_TIMEOUT_MS} ms`)),
      LOOKUP_TIMEOUT_MS,
    );
  });
  try {
    const found = await Promise.race([dns.promises.lookup(hostname, { all: true, verbatim: true }), timeout]);
    return found.map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
};

const RANGE_NAMES: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  linkLocal: 'a link-local address',
  uniqueLocal: 'a unique-local (private) address',
  unspecified: 'the unspecified address',
  carrierGradeNat: 'a carrier-grade NAT (shared) address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
};

/** Why an address may not be delivered to, or null for a public unicast address. */
export function refusalOf(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const range = ipaddr.process(address).range();
  if (range === 'unicast') return null;
  return RANGE_NAMES[range] ?? `a reserved address (${range})`;
}

const bare = (hostname: string) => hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');

function ipEntryContains(entry: string, address: string): boolean {
  try {
    const ip = ipaddr.process(address);
    if (entry.includes('/')) {
      const [range, bits] = ipaddr.parseCIDR(entry);
      return ip.kind() === range.kind() && ip.match([range, bits]);
    }
    return ipaddr.isValid(entry) && ipaddr.process(entry).toNormalizedString() === ip.toNormalizedString();
  } catch {
    return false;
  }
}

/** True when WEBHOOK_ALLOWED_HOSTS names this URL host (as written in the URL). */
export function isAllowlisted(hostname: string, allowed: readonly string[]): boolean {
  const host = bare(hostname);
  const isIp = ipaddr.isValid(host) && net4or6(host);
  return allowed.some((entry) => (isIp ? ipEntryContains(entry, host) : entry === host));
}

// ipaddr.isValid accepts forms like "1" that the URL parser has already turned into dotted quads.
const net4or6 = (host: string) => ipaddr.IPv4.isValidFourPartDecimal(host) || ipaddr.IPv6.isValid(host);

/** Parses a subscriber URL and refuses what is never deliverable, whatever it resolves to. */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookUrlRefused('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookUrlRefused('must be an http(s) URL');
  if (url.username || url.password) throw new WebhookUrlRefused('must not carry credentials');
  if (url.hash) throw new WebhookUrlRefused('must not have a fragment');
  if (!url.hostname) throw new WebhookUrlRefused('has no host');
  return url;
}

/**
 * The subscribe-time check: the URL's host, or every address it resolves to, must be public,
 * unless the host is allowlisted.
 */
export async function checkWebhookUrl(
  text: string,
  allowed: readonly string[],
  lookup: AddressLookup = systemLookup,
): Promise<URL> {
  const url = parseWebhookUrl(text);
  const host = bare(url.hostname);
  if (isAllowlisted(host, allowed)) return url;
  if (net4or6(host)) {
    const refusal = refusalOf(host);
    if (refusal) throw new WebhookUrlRefused(`is ${refusal} (${host}); WEBHOOK_ALLOWED_HOSTS does not name it`);
    return url;
  }
  let addresses: string[];
  try {
    addresses = await lookup(host);
  } catch (error) {
    throw new WebhookUrlRefused(`host ${host} does not resolve (${(error as Error).message})`);
  }
  if (addresses.length === 0) throw new WebhookUrlRefused(`host ${host} does not resolve`);
  for (const address of addresses) {
    const refusal = refusalOf(address);
    if (refusal)
      throw new WebhookUrlRefused(
        `host ${host} resolves to ${refusal} (${address}); WEBHOOK_ALLOWED_HOSTS does not name it`,
      );
  }
  return url;
}

/**
 * A socket lookup (http.request's `lookup`) that refuses non-public addresses for hosts that are
 * not allowlisted. IP literal hosts never reach a lookup: check them with checkLiteralHost.
 */
export function guardedLookup(allowed: readonly string[], lookup: AddressLookup = systemLookup): LookupFunction {
  return (hostname, options, callback) => {
    const host = bare(hostname);
    lookup(host).then(
      (addresses) => {
        if (!isAllowlisted(host, allowed)) {
          for (const address of addresses) {
            const refusal = refusalOf(address);
            if (refusal) {
              callback(
                new WebhookUrlRefused(
                  `host ${host} resolves to ${refusal} (${address}); WEBHOOK_ALLOWED_HOSTS does not name it`,
                ),
                '',
              );
              return;
            }
          }
        }
        const family = (a: string) => (ipaddr.IPv6.isValid(a) ? 6 : 4);
        const wanted = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = addresses.filter((a) => wanted === 0 || family(a) === wanted);
        if (usable.length === 0) {
          callback(Object.assign(new Error(`host ${host} has no IPv${wanted} address`), { code: 'ENOTFOUND' }), '');
          return;
        }
        if (options.all) callback(null, usable.map((address) => ({ address, family: family(address) })) as never);
        else callback(null, usable[0]!, family(usable[0]!));
      },
      (error: Error) =>
        callback(Object.assign(error, { code: (error as NodeJS.ErrnoException).code ?? 'ENOTFOUND' }), ''),
    );
  };
}

/** The delivery-time check of an IP literal host (Node connects to those without a lookup). */
export function checkLiteralHost(url: URL, allowed: readonly string[]): void {
  const host = bare(url.hostname);
  if (!net4or6(host) || isAllowlisted(host, allowed)) return;
  const refusal = refusalOf(host);
  if (refusal) throw new WebhookUrlRefused(`${host} is ${refusal}; WEBHOOK_ALLOWED_HOSTS does not name it`);
}
