/**
 * Who is on the other end, as the socket's peer address says (api/client-address.ts): loopback
 * clients get the development doors, and rate limits count an IPv6 client by its /64.
 */
import { addressKey, isLoopbackAddress, reachOf } from '../../api/client-address';
import { formatDuration } from '../../adapters/duration';

test('loopback: 127.0.0.0/8 and ::1, also as a dual-stack socket writes them; nothing else', () => {
  for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])
    expect({ address, loopback: isLoopbackAddress(address) }).toEqual({ address, loopback: true });
  for (const address of ['10.231.0.2', '::ffff:10.0.0.1', '0.0.0.0', '::', 'fe80::1', 'localhost', '', undefined])
    expect({ address, loopback: isLoopbackAddress(address) }).toEqual({ address, loopback: false });
});

test('rate-limit keys: an IPv4 address as it is, an IPv6 address by its /64', () => {
  expect(addressKey('10.231.0.2')).toBe('10.231.0.2');
  expect(addressKey('::ffff:10.231.0.2')).toBe('10.231.0.2');
  expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
  expect(addressKey('2001:db8:1:2:bbbb::9')).toBe(addressKey('2001:db8:1:2:aaaa::1'));
  expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
  expect(addressKey(undefined)).toBe('unknown');
});

test('the banner says who can reach a server on each kind of address', () => {
  expect(reachOf('127.0.0.1')).toBe('this machine only (loopback)');
  expect(reachOf('::1')).toBe('this machine only (loopback)');
  expect(reachOf('localhost')).toBe('this machine only (loopback)');
  expect(reachOf('0.0.0.0')).toMatch(/^every network interface/);
  expect(reachOf('::')).toMatch(/^every network interface/);
  expect(reachOf('10.0.0.5')).toBe('whoever can reach 10.0.0.5 on this port');
});

test('a rate limit is written back the way it was configured', () => {
  expect([60_000, 30_000, 3_600_000, 86_400_000, 1_500].map(formatDuration)).toEqual([
    '1m',
    '30s',
    '1h',
    '1d',
    '1500ms',
  ]);
});
