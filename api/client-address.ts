/**
 * Who is on the other end of a connection, as the socket says: never a header. `trust proxy` stays
 * off, so X-Forwarded-For cannot make a remote client look local, or spread one client over many
 * rate-limit buckets.
 */
import type { Request } from 'express';
import ipaddr from 'ipaddr.js';

function parsed(address: string | undefined): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!address || !ipaddr.isValid(address)) return null;
  // ::ffff:127.0.0.1 (a dual-stack socket's view of an IPv4 client) is that IPv4 address.
  return ipaddr.process(address);
}

/** 127.0.0.0/8 or ::1, as the connection's peer address reads: a process on this machine. */
export function isLoopbackAddress(address: string | undefined): boolean {
  return parsed(address)?.range() === 'loopback';
}

export const isLoopbackClient = (req: Request): boolean => isLoopbackAddress(req.socket.remoteAddress);

/**
 * The rate-limit key of a client address: the IPv4 address, or the /64 of an IPv6 one (one host
 * usually holds a whole /64, and would otherwise get a fresh budget per address).
 */
export function addressKey(address: string | undefined): string {
  const ip = parsed(address);
  if (!ip) return 'unknown';
  if (ip.kind() === 'ipv4') return ip.toString();
  const parts = (ip as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((part) => part.toString(16)).join(':')}::/64`;
}

/** Who can connect to a server listening on `host`, for the start-up banner. */
export function reachOf(host: string): string {
  if (host === 'localhost' || isLoopbackAddress(host)) return 'this machine only (loopback)';
  const ip = ipaddr.isValid(host) ? ipaddr.parse(host) : null;
  if (ip && ip.range() === 'unspecified')
    return 'every network interface: anyone who can reach this machine on this port';
  return `whoever can reach ${host} on this port`;
}
