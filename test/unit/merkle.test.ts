/**
 * The Merkle code against the published RFC 6962 test vectors (the ones certificate-transparency-go
 * and transparency-dev/merkle use), against a literal transcription of the RFC's recursive
 * definitions, and for every tree size from 1 to 1,000.
 */
import fc from 'fast-check';
import {
  consistencySpans,
  EMPTY_ROOT,
  Frontier,
  hashSpan,
  inclusionSpans,
  leafHash,
  MemoryTree,
  nodeHash,
  rootFromInclusionProof,
  spanKeys,
  verifyConsistency,
  verifyInclusion,
} from '../../trust/log-merkle';

const hex = (b: Buffer) => b.toString('hex');
const h = (s: string) => Buffer.from(s, 'hex');

// RFC 6962 test vectors: eight leaves and the tree heads of sizes 1..8.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  h,
);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
// [leaf index, tree size, audit path]
const INCLUSION: Array<[number, number, string[]]> = [
  [0, 1, []],
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    1,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];
// [first size, second size, proof]
const CONSISTENCY: Array<[number, number, string[]]> = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
  [
    6,
    7,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
];

/* The RFC's definitions, transcribed literally (recursive, slicing the leaf list). */
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
function mth(d: Buffer[]): Buffer {
  if (d.length === 0) return EMPTY_ROOT;
  if (d.length === 1) return leafHash(d[0]!);
  return nodeHash(mth(d.slice(0, k(d.length))), mth(d.slice(k(d.length))));
}
function path(m: number, d: Buffer[]): Buffer[] {
  if (d.length <= 1) return [];
  const split = k(d.length);
  return m < split
    ? [...path(m, d.slice(0, split)), mth(d.slice(split))]
    : [...path(m - split, d.slice(split)), mth(d.slice(0, split))];
}
function subproof(m: number, d: Buffer[], b: boolean): Buffer[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const split = k(d.length);
  return m <= split
    ? [...subproof(m, d.slice(0, split), b), mth(d.slice(split))]
    : [...subproof(m - split, d.slice(split), false), mth(d.slice(0, split))];
}

describe('RFC 6962 test vectors', () => {
  test('the empty tree and the leaf and node hash prefixes', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(leafHash(Buffer.alloc(0)))).toBe(ROOTS[0]);
    expect(hex(new MemoryTree().root())).toBe(hex(EMPTY_ROOT));
  });

  test('tree heads of sizes 1 to 8', () => {
    const tree = new MemoryTree(LEAVES.map(leafHash));
    for (let size = 1; size <= 8; size += 1) {
      expect(hex(tree.root(size))).toBe(ROOTS[size - 1]);
      expect(hex(mth(LEAVES.slice(0, size)))).toBe(ROOTS[size - 1]);
      const frontier = new MemoryTree(LEAVES.slice(0, size).map(leafHash));
      expect(hex(frontier.root())).toBe(ROOTS[size - 1]);
    }
  });

  test.each(INCLUSION)('inclusion proof of leaf %i in a tree of size %i', (index, size, expected) => {
    const tree = new MemoryTree(LEAVES.map(leafHash));
    expect(tree.inclusionProof(index, size).map(hex)).toEqual(expected);
    expect(verifyInclusion(index, size, leafHash(LEAVES[index]!), expected.map(h), h(ROOTS[size - 1]!))).toBe(true);
  });

  test.each(CONSISTENCY)('consistency proof from size %i to %i', (from, to, expected) => {
    const tree = new MemoryTree(LEAVES.map(leafHash));
    expect(tree.consistencyProof(from, to).map(hex)).toEqual(expected);
    expect(verifyConsistency(from, to, h(ROOTS[from - 1]!), h(ROOTS[to - 1]!), expected.map(h))).toBe(true);
  });

  test('corrupted vectors are refused (wrong index, size, leaf, root; garbage; flipped bits)', () => {
    for (const [index, size, proofHex] of INCLUSION) {
      const proof = proofHex.map(h);
      const leaf = leafHash(LEAVES[index]!);
      const root = h(ROOTS[size - 1]!);
      const bad: Array<[number, number, Buffer, Buffer[], Buffer]> = [
        [index - 1, size, leaf, proof, root],
        [index + 1, size, leaf, proof, root],
        [index ^ 2, size, leaf, proof, root],
        [index, size * 2, leaf, proof, root],
        [index, Math.floor(size / 2), leaf, proof, root],
        [index, size, leafHash(Buffer.from('WrongLeaf')), proof, root],
        [index, size, leaf, proof, EMPTY_ROOT],
        [index, size, leaf, [...proof, root], root],
        [index, size, leaf, [root, ...proof], root],
        ...(proof.length > 0
          ? [[index, size, leaf, proof.slice(0, -1), root] as [number, number, Buffer, Buffer[], Buffer]]
          : []),
        ...proof.map((_, i): [number, number, Buffer, Buffer[], Buffer] => [
          index,
          size,
          leaf,
          proof.map((p, j) => (i === j ? Buffer.from(p).fill(p[0]! ^ 8, 0, 1) : p)),
          root,
        ]),
      ];
      for (const [i, s, l, p, r] of bad) {
        if (i === index && s === size && l === leaf && p === proof && r === root) continue;
        expect(verifyInclusion(i, s, l, p, r)).toBe(false);
      }
    }
    for (const [from, to, proofHex] of CONSISTENCY.filter(([, , p]) => p.length > 0)) {
      const proof = proofHex.map(h);
      const r1 = h(ROOTS[from - 1]!);
      const r2 = h(ROOTS[to - 1]!);
      const bad: Array<[number, number, Buffer, Buffer, Buffer[]]> = [
        [from - 1, to, r1, r2, proof],
        [from + 1, to, r1, r2, proof],
        [from ^ 2, to, r1, r2, proof],
        [from, to * 2, r1, r2, proof],
        [from, Math.floor(to / 2), r1, r2, proof],
        [from, to, r2, r1, proof],
        [from, to, r1, r2, []],
        [from, to, r1, r2, [...proof, r1]],
        [from, to, r1, r2, [r2, ...proof]],
        [from, to, r1, r2, [proof[0]!, ...proof]],
        [from, to, r1, r2, proof.slice(0, -1)],
        ...proof.map((_, i): [number, number, Buffer, Buffer, Buffer[]] => [
          from,
          to,
          r1,
          r2,
          proof.map((p, j) => (i === j ? Buffer.from(p).fill(p[0]! ^ 16, 0, 1) : p)),
        ]),
      ];
      for (const [a, b, x, y, p] of bad) expect(verifyConsistency(a, b, x, y, p)).toBe(false);
    }
  });

  test('trivial consistency: equal sizes need equal roots and an empty proof; from 0 anything goes', () => {
    const r = h(ROOTS[0]!);
    expect(verifyConsistency(1, 1, r, r, [])).toBe(true);
    expect(verifyConsistency(1, 1, r, h(ROOTS[1]!), [])).toBe(false);
    expect(verifyConsistency(1, 1, r, r, [r])).toBe(false);
    expect(verifyConsistency(0, 5, EMPTY_ROOT, h(ROOTS[4]!), [])).toBe(true);
    expect(verifyConsistency(2, 1, r, r, [])).toBe(false);
    expect(rootFromInclusionProof(0, 0, r, [])).toBeNull();
  });
});

// About a second per test normally; the headroom is for a heavily loaded CI machine.
const HEAVY = 180_000;

describe('every tree size from 1 to 1,000', () => {
  // Distinct leaves, so a proof for the wrong leaf or index cannot verify by accident.
  const data = Array.from({ length: 1000 }, (_, i) => Buffer.from(`record-${i}`));
  const tree = new MemoryTree(data.map(leafHash));
  const roots = Array.from({ length: 1001 }, (_, size) => tree.root(size));

  /** Indices worth checking for a size: the edges, the split points, and a few in between. */
  const probes = (size: number): number[] => {
    if (size <= 64) return Array.from({ length: size }, (_, i) => i);
    const picks = new Set([0, 1, size - 2, size - 1, size >> 1, (size >> 1) - 1]);
    const split = 2 ** Math.floor(Math.log2(size - 1));
    picks.add(split).add(split - 1);
    for (let i = 0; i < 4; i += 1) picks.add((i * 7919 + size * 31) % size);
    return [...picks].filter((i) => i >= 0 && i < size);
  };

  test(
    'roots from the frontier match the RFC definition (checked at every size up to 256, then every 37th)',
    () => {
      for (let size = 1; size <= 1000; size += size <= 256 ? 1 : 37)
        expect(roots[size]!.equals(mth(data.slice(0, size)))).toBe(true);
      expect(roots[1000]!.equals(mth(data))).toBe(true);
    },
    HEAVY,
  );

  // Failures are collected and asserted once: a jest expect() per probe would dominate the runtime.
  test(
    'inclusion proofs verify at every size, and only for the right leaf, index and root',
    () => {
      const failures: string[] = [];
      let checked = 0;
      const check = (index: number, size: number) => {
        const proof = tree.inclusionProof(index, size);
        const leaf = leafHash(data[index]!);
        if (!verifyInclusion(index, size, leaf, proof, roots[size]!)) failures.push(`${index}@${size} does not verify`);
        if (size > 1 && verifyInclusion(index, size, leafHash(data[(index + 1) % size]!), proof, roots[size]!))
          failures.push(`${index}@${size} verifies another leaf`);
        if (size > 1 && verifyInclusion(index, size, leaf, proof, roots[size - 1]!))
          failures.push(`${index}@${size} verifies another root`);
        if (size > 1 && verifyInclusion((index + 1) % size, size, leaf, proof, roots[size]!))
          failures.push(`${index}@${size} verifies at another index`);
        checked += 1;
      };
      for (let size = 1; size <= 1000; size += 1) for (const index of probes(size)) check(index, size);
      // Every index of the largest tree, too.
      for (let index = 0; index < 1000; index += 1) check(index, 1000);
      expect(failures).toEqual([]);
      expect(checked).toBeGreaterThan(10_000);
    },
    HEAVY,
  );

  test(
    'consistency proofs verify at every size, and only between the right roots',
    () => {
      const failures: string[] = [];
      const check = (from: number, to: number) => {
        const proof = tree.consistencyProof(from, to);
        if (!verifyConsistency(from, to, roots[from]!, roots[to]!, proof))
          failures.push(`${from}->${to} does not verify`);
        if (from < to && verifyConsistency(from, to, roots[from - 1]!, roots[to]!, proof))
          failures.push(`${from}->${to} verifies another first root`);
        if (from < to && verifyConsistency(from, to, roots[from]!, roots[to - 1]!, proof))
          failures.push(`${from}->${to} verifies another second root`);
      };
      for (let to = 1; to <= 1000; to += 1) for (const index of probes(to)) check(index + 1, to);
      for (let from = 1; from <= 1000; from += 1) check(from, 1000);
      expect(failures).toEqual([]);
    },
    HEAVY,
  );

  test(
    'proofs equal the RFC definitions of PATH and PROOF (all indices and pairs up to 64 leaves)',
    () => {
      const failures: string[] = [];
      for (let size = 1; size <= 64; size += 1) {
        const d = data.slice(0, size);
        for (let i = 0; i < size; i += 1)
          if (tree.inclusionProof(i, size).map(hex).join() !== path(i, d).map(hex).join())
            failures.push(`PATH(${i}, D[${size}])`);
        for (let m = 1; m <= size; m += 1)
          if (tree.consistencyProof(m, size).map(hex).join() !== subproof(m, d, true).map(hex).join())
            failures.push(`PROOF(${m}, D[${size}])`);
      }
      expect(failures).toEqual([]);
    },
    HEAVY,
  );

  test(
    'random sizes, indices and pairs (property)',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 1000 }), fc.nat(), fc.nat(), (size, a, b) => {
          const index = a % size;
          const from = (b % size) + 1;
          return (
            verifyInclusion(index, size, leafHash(data[index]!), tree.inclusionProof(index, size), roots[size]!) &&
            verifyConsistency(from, size, roots[from]!, roots[size]!, tree.consistencyProof(from, size))
          );
        }),
        { numRuns: 2000 },
      );
    },
    HEAVY,
  );
});

describe('storage model', () => {
  test('spans decompose into aligned perfect subtrees', () => {
    expect(spanKeys({ start: 0, end: 7 })).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(() => spanKeys({ start: 1, end: 3 })).toThrow(/not a node/);
    expect(inclusionSpans(5, 8)).toEqual([
      { start: 4, end: 5 },
      { start: 6, end: 8 },
      { start: 0, end: 4 },
    ]);
    expect(consistencySpans(6, 8)).toEqual([
      { start: 4, end: 6 },
      { start: 6, end: 8 },
      { start: 0, end: 4 },
    ]);
  });

  test('appending yields each completed perfect subtree once, and a resumed frontier continues identically', () => {
    const leaves = Array.from({ length: 37 }, (_, i) => leafHash(Buffer.from([i])));
    const whole = new MemoryTree(leaves);
    const first = new MemoryTree(leaves.slice(0, 21));
    const resumed = Frontier.resume(21, Frontier.keys(21).map(first.get));
    const created = leaves.slice(21).flatMap((leaf) => resumed.append(leaf));
    for (const node of created) expect(node.hash.equals(whole.get(node))).toBe(true);
    expect(resumed.root().equals(whole.root())).toBe(true);
    // Leaves 21..36 complete 16 leaves plus every perfect subtree ending in that range.
    expect(created.filter((n) => n.level === 0)).toHaveLength(16);
    expect(created.find((n) => n.level === 5 && n.index === 0)).toBeDefined();
    expect(hashSpan({ start: 0, end: 37 }, whole.get).equals(whole.root())).toBe(true);
  });
});
