/**
 * C2SP tlog-tiles (https://c2sp.org/tlog-tiles) paths and entry bundles, pure.
 *
 *   tile/<L>/<N>[.p/<W>]        hashes of tree level 8·L, indices 256·N … 256·N+W−1 (W = 256 when full)
 *   tile/entries/<N>[.p/<W>]    the entries of leaves 256·N …, each a big-endian uint16 length and its bytes
 *
 * <N> is written as zero-padded 3-digit elements, all but the last prefixed with `x`
 * (1234067 → x001/x234/067). Parsing is strict (one spelling per tile), so a cache key is a tile.
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
export const MAX_ENTRY_SIZE = 0xffff;

export type TileRef =
  { kind: 'hashes'; level: number; index: number; width: number } | { kind: 'entries'; index: number; width: number };

export function encodeTileIndex(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0)
    throw new RangeError(`tile index ${index} is not a non-negative integer`);
  const groups: string[] = [];
  let n = index;
  do {
    groups.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

export function tilePath(tile: TileRef): string {
  const base = tile.kind === 'entries' ? 'tile/entries' : `tile/${tile.level}`;
  return `${base}/${encodeTileIndex(tile.index)}${tile.width === TILE_WIDTH ? '' : `.p/${tile.width}`}`;
}

/** The segments after `tile/`, or null when they are not exactly one tile's path. */
export function parseTileSegments(segments: string[]): TileRef | null {
  if (segments.length < 2) return null;
  const [head, ...rest] = segments as [string, ...string[]];
  let level: number | 'entries';
  if (head === 'entries') level = 'entries';
  else if (/^(0|[1-9][0-9]?)$/.test(head) && Number(head) <= 63) level = Number(head);
  else return null;

  let width = TILE_WIDTH;
  const last = rest.length - 1;
  if (rest.length >= 2 && rest[last - 1]!.endsWith('.p')) {
    const w = rest[last]!;
    if (!/^[1-9][0-9]{0,2}$/.test(w) || Number(w) >= TILE_WIDTH) return null;
    width = Number(w);
    rest.splice(last, 1);
    rest[last - 1] = rest[last - 1]!.slice(0, -2);
  }
  if (rest.length === 0 || rest.length > 6) return null;
  let index = 0;
  for (const [i, group] of rest.entries()) {
    const prefixed = i < rest.length - 1;
    const match = (prefixed ? /^x([0-9]{3})$/ : /^([0-9]{3})$/).exec(group);
    if (!match) return null;
    // No leading all-zero group: 5 is 005, never x000/005.
    if (i === 0 && rest.length > 1 && match[1] === '000') return null;
    index = index * 1000 + Number(match[1]);
  }
  if (!Number.isSafeInteger(index * TILE_WIDTH)) return null;
  return level === 'entries' ? { kind: 'entries', index, width } : { kind: 'hashes', level, index, width };
}

export class EntryTooLargeError extends Error {
  override name = 'EntryTooLargeError';
}

export function encodeEntryBundle(entries: Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (entry.length > MAX_ENTRY_SIZE)
      throw new EntryTooLargeError(`an entry of ${entry.length} bytes exceeds the bundle format's ${MAX_ENTRY_SIZE}`);
    const length = Buffer.alloc(2);
    length.writeUInt16BE(entry.length);
    parts.push(length, Buffer.from(entry));
  }
  return Buffer.concat(parts);
}

export function decodeEntryBundle(bundle: Uint8Array): Buffer[] {
  const data = Buffer.from(bundle);
  const entries: Buffer[] = [];
  for (let offset = 0; offset < data.length;) {
    if (offset + 2 > data.length) throw new RangeError('truncated entry length');
    const length = data.readUInt16BE(offset);
    if (offset + 2 + length > data.length) throw new RangeError('truncated entry');
    entries.push(data.subarray(offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  return entries;
}
