/**
 * RFC 6962 / RFC 9162 Merkle tree hashing, written against the RFC text.
 *
 *   leaf hash  = SHA-256(0x00 ‖ leaf bytes)
 *   node hash  = SHA-256(0x01 ‖ left ‖ right)
 *   MTH({})    = SHA-256()
 *
 * Storage model: only *perfect* subtrees are ever stored, keyed by (level, index), where the node
 * at level L and index i covers leaves [i·2^L, (i+1)·2^L). Such a node never changes once its last
 * leaf is appended, so the table is append-only. Every node the RFC's recursion visits is either
 * perfect or lies on the tree's right edge, and a right-edge span is a left-to-right run of perfect
 * subtrees (the binary digits of its size), so any proof or root needs O(log² n) stored hashes at
 * worst and O(log n) in practice.
 */
import { createHash } from 'node:crypto';

export const HASH_SIZE = 32;

const sha256 = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
};

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export const leafHash = (data: Uint8Array): Buffer => sha256(LEAF_PREFIX, data);
export const nodeHash = (left: Uint8Array, right: Uint8Array): Buffer => sha256(NODE_PREFIX, left, right);
/** MTH of the empty tree. */
export const EMPTY_ROOT: Buffer = sha256();

/** A perfect subtree: level L, index i covers leaves [i·2^L, (i+1)·2^L). */
export interface NodeKey {
  level: number;
  index: number;
}

/** A node of the RFC tree: MTH(D[start:end]). */
export interface Span {
  start: number;
  end: number;
}

export const nodeId = (key: NodeKey): string => `${key.level}/${key.index}`;

function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative safe integer (got ${value})`);
}

/** The largest power of two strictly smaller than n (n ≥ 2): RFC 6962's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees that make up a span of the RFC tree, left to right. RFC tree spans are
 * aligned (start is a multiple of the largest power of two ≤ its size), which is asserted.
 */
export function spanKeys(span: Span): NodeKey[] {
  const keys: NodeKey[] = [];
  let start = span.start;
  while (start < span.end) {
    let size = 1;
    let level = 0;
    while (size * 2 <= span.end - start) {
      size *= 2;
      level += 1;
    }
    if (start % size !== 0) throw new RangeError(`span [${span.start}, ${span.end}) is not a node of an RFC 6962 tree`);
    keys.push({ level, index: start / size });
    start += size;
  }
  return keys;
}

/** MTH of a span from the hashes of its perfect parts: right to left, as the RFC recursion nests. */
export function hashSpan(span: Span, get: (key: NodeKey) => Buffer): Buffer {
  const keys = spanKeys(span);
  if (keys.length === 0) return EMPTY_ROOT;
  let hash = get(keys[keys.length - 1]!);
  for (let i = keys.length - 2; i >= 0; i -= 1) hash = nodeHash(get(keys[i]!), hash);
  return hash;
}

/** RFC 6962 §2.1.1 PATH(m, D[n]) as spans, in proof order (nearest the leaf first). */
export function inclusionSpans(index: number, size: number): Span[] {
  assertSize('leaf index', index);
  assertSize('tree size', size);
  if (index >= size) throw new RangeError(`leaf index ${index} is not in a tree of size ${size}`);
  const fromRoot: Span[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index - start < k) {
      fromRoot.push({ start: start + k, end });
      end = start + k;
    } else {
      fromRoot.push({ start, end: start + k });
      start += k;
    }
  }
  return fromRoot.reverse();
}

/** RFC 6962 §2.1.2 PROOF(m, D[n]) = SUBPROOF(m, D[n], true) as spans, in proof order. */
export function consistencySpans(from: number, to: number): Span[] {
  assertSize('first size', from);
  assertSize('second size', to);
  if (from > to) throw new RangeError(`first size ${from} is larger than second size ${to}`);
  if (from === 0 || from === to) return [];
  const fromRoot: Span[] = [];
  let start = 0;
  let end = to;
  let complete = true; // SUBPROOF's b: whether D[0:m] is the whole of the original old tree
  for (;;) {
    const m = from - start;
    if (m === end - start) {
      if (!complete) fromRoot.push({ start, end });
      break;
    }
    const k = splitPoint(end - start);
    if (m <= k) {
      fromRoot.push({ start: start + k, end });
      end = start + k;
    } else {
      fromRoot.push({ start, end: start + k });
      start += k;
      complete = false;
    }
  }
  return fromRoot.reverse();
}

/** Every stored node a set of spans needs (deduplicated), for one batched read. */
export function keysFor(spans: Span[]): NodeKey[] {
  const seen = new Map<string, NodeKey>();
  for (const span of spans) for (const key of spanKeys(span)) seen.set(nodeId(key), key);
  return [...seen.values()];
}

export const rootSpan = (size: number): Span => ({ start: 0, end: size });

/* ----------------------------------------------------------------------------------------------
 * Verification: RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), step by step.
 * -------------------------------------------------------------------------------------------- */

const isHash = (h: Uint8Array): boolean => h.length === HASH_SIZE;
const lsb = (n: bigint): boolean => (n & 1n) === 1n;

/** The root an inclusion proof leads to, or null when the proof does not fit the index and size. */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
): Buffer | null {
  // 1. leaf_index must be inside the tree.
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  if (!isHash(leaf) || !path.every(isHash)) return null;
  // 2-3.
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let r: Buffer = Buffer.from(leaf);
  // 4.
  for (const p of path) {
    if (sn === 0n) return null; // a.
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r); // b.i.
      if (!lsb(fn)) {
        // b.ii.
        while (!lsb(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n; // c.
    sn >>= 1n;
  }
  // 5. sn must be 0, i.e. the path was exactly as long as the tree is deep for this leaf.
  return sn === 0n ? r : null;
}

export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(index, size, leaf, path);
  return computed !== null && isHash(root) && computed.equals(root);
}

export function verifyConsistency(
  from: number,
  to: number,
  fromRoot: Uint8Array,
  toRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || from > to) return false;
  if (!isHash(fromRoot) || !isHash(toRoot) || !proof.every(isHash)) return false;
  // The trivial cases the RFC's algorithm leaves out: same tree, or growth from the empty tree.
  if (from === to) return proof.length === 0 && Buffer.from(fromRoot).equals(toRoot);
  if (from === 0) return proof.length === 0;
  // 1.
  if (proof.length === 0) return false;
  // 2. If first is an exact power of 2, prepend first_hash.
  const path = (from & (from - 1)) === 0 ? [fromRoot, ...proof] : [...proof];
  // 3.
  let fn = BigInt(from - 1);
  let sn = BigInt(to - 1);
  // 4.
  if (lsb(fn)) {
    while (lsb(fn)) {
      fn >>= 1n;
      sn >>= 1n;
    }
  }
  // 5.
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  // 6.
  for (const c of path.slice(1)) {
    if (sn === 0n) return false; // a.
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(c, fr); // b.i.
      sr = nodeHash(c, sr); // b.ii.
      if (!lsb(fn)) {
        // b.iii.
        while (!lsb(fn) && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n; // c.
    sn >>= 1n;
  }
  // 7.
  return sn === 0n && fr.equals(fromRoot) && sr.equals(toRoot);
}

/* ----------------------------------------------------------------------------------------------
 * Appending: the frontier (the perfect subtrees covering [0, size)) is all an append needs.
 * -------------------------------------------------------------------------------------------- */

export interface StoredNode extends NodeKey {
  hash: Buffer;
}

/**
 * The right edge of the tree: the perfect subtrees that cover [0, size), largest first.
 * Appending a leaf adds level 0 and merges equal levels upwards, yielding exactly the nodes that
 * became complete, which are what must be persisted.
 */
export class Frontier {
  private constructor(
    private treeSize: number,
    private readonly nodes: StoredNode[],
  ) {}

  static empty(): Frontier {
    return new Frontier(0, []);
  }

  /** The keys to load to resume appending at `size`. */
  static keys(size: number): NodeKey[] {
    return spanKeys(rootSpan(size));
  }

  /** Resumes from stored nodes (those named by Frontier.keys(size), in that order). */
  static resume(size: number, hashes: Buffer[]): Frontier {
    const keys = Frontier.keys(size);
    if (hashes.length !== keys.length)
      throw new RangeError(`a tree of size ${size} needs ${keys.length} frontier hashes, got ${hashes.length}`);
    return new Frontier(
      size,
      keys.map((key, i) => ({ ...key, hash: hashes[i]! })),
    );
  }

  get size(): number {
    return this.treeSize;
  }

  /** Appends one leaf hash; returns every node it completed (the leaf itself first). */
  append(leaf: Buffer): StoredNode[] {
    if (!isHash(leaf)) throw new RangeError('a leaf hash is 32 bytes');
    const created: StoredNode[] = [{ level: 0, index: this.treeSize, hash: leaf }];
    this.nodes.push(created[0]!);
    for (;;) {
      const right = this.nodes[this.nodes.length - 1]!;
      const left = this.nodes[this.nodes.length - 2];
      if (!left || left.level !== right.level) break;
      this.nodes.splice(-2, 2);
      const parent = { level: right.level + 1, index: left.index / 2, hash: nodeHash(left.hash, right.hash) };
      this.nodes.push(parent);
      created.push(parent);
    }
    this.treeSize += 1;
    return created;
  }

  root(): Buffer {
    return hashSpan(
      rootSpan(this.treeSize),
      (key) => this.nodes.find((n) => n.level === key.level && n.index === key.index)!.hash,
    );
  }
}

/**
 * A whole tree in memory: for tests, the offline verifier (recomputing a root from every record)
 * and bulk seeding. Proofs are built by the same span logic the database uses.
 */
export class MemoryTree {
  private readonly frontier = Frontier.empty();
  private readonly nodes = new Map<string, Buffer>();

  constructor(leafHashes: Iterable<Buffer> = []) {
    for (const leaf of leafHashes) this.append(leaf);
  }

  get size(): number {
    return this.frontier.size;
  }

  append(leaf: Buffer): StoredNode[] {
    const created = this.frontier.append(leaf);
    for (const node of created) this.nodes.set(nodeId(node), node.hash);
    return created;
  }

  readonly get = (key: NodeKey): Buffer => {
    const hash = this.nodes.get(nodeId(key));
    if (!hash) throw new RangeError(`node ${nodeId(key)} is not in this tree`);
    return hash;
  };

  root(size = this.size): Buffer {
    if (size > this.size) throw new RangeError(`the tree has only ${this.size} leaves`);
    return hashSpan(rootSpan(size), this.get);
  }

  inclusionProof(index: number, size = this.size): Buffer[] {
    if (size > this.size) throw new RangeError(`the tree has only ${this.size} leaves`);
    return inclusionSpans(index, size).map((span) => hashSpan(span, this.get));
  }

  consistencyProof(from: number, to = this.size): Buffer[] {
    if (to > this.size) throw new RangeError(`the tree has only ${this.size} leaves`);
    return consistencySpans(from, to).map((span) => hashSpan(span, this.get));
  }
}
