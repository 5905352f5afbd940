/**
 * The console's in-browser verification (console/src/verify.ts, WebCrypto only) against the
 * server's own trust code: inclusion proofs of every leaf of trees of every size up to 40 lead to
 * the root the log computes, and a changed hash or index does not; checkpoints the log signs open
 * with the JWKS key, and a changed note does not. Node's WebCrypto is the browser's API.
 */
import { createHash } from 'node:crypto';
import { openCheckpoint, rootFromInclusionProof } from '../../console/src/verify';
import { ed25519PublicKeyFromJwk, noteSignerFromKey, signCheckpoint, verifierKey } from '../../trust/log-checkpoint';
import { loadSigningKey } from '../../trust/keys';
import { leafHash, MemoryTree } from '../../trust/log-merkle';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';

const leaf = (i: number) => leafHash(Buffer.from(`record ${i}`));

test('inclusion proofs recomputed as the console does lead to the log’s root, and only for the right leaf', async () => {
  const tree = new MemoryTree();
  for (let size = 1; size <= 40; size += 1) {
    tree.append(leaf(size - 1));
    const root = tree.root();
    for (let index = 0; index < size; index += 1) {
      const proof = tree.inclusionProof(index, size);
      const computed = await rootFromInclusionProof(index, size, leaf(index), proof);
      expect(computed && Buffer.from(computed).equals(root)).toBe(true);
      if (size > 1) {
        const other = (index + 1) % size;
        const wrongLeaf = await rootFromInclusionProof(index, size, leaf(other), proof);
        expect(wrongLeaf !== null && Buffer.from(wrongLeaf).equals(root)).toBe(false);
        const wrongIndex = await rootFromInclusionProof(other, size, leaf(index), proof);
        expect(wrongIndex !== null && Buffer.from(wrongIndex).equals(root)).toBe(false);
        const flipped = proof.map((h, i) => (i === 0 ? Buffer.from(h.map((b, j) => (j === 0 ? b ^ 1 : b))) : h));
        const wrongPath = await rootFromInclusionProof(index, size, leaf(index), flipped);
        expect(wrongPath !== null && Buffer.from(wrongPath).equals(root)).toBe(false);
      }
    }
  }
  expect(await rootFromInclusionProof(3, 3, leaf(3), [])).toBeNull();
});

test('a checkpoint the log signs opens with its note verifier key; a changed note, another key or a wrong key id does not', async () => {
  // A key whose verifier key's base64 holds a '+' (the separator of its name and id).
  let key = await loadSigningKey({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-console-verify-')) });
  while (
    !verifierKey('qtm.test/records', ed25519PublicKeyFromJwk(key.publicJwk)!)
      .split('+')
      .slice(2)
      .join('+')
      .includes('+')
  )
    key = await loadSigningKey({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-console-verify-')) });
  const origin = 'qtm.test/records';
  const rootHash = createHash('sha256').update('root').digest();
  const note = signCheckpoint({ origin, treeSize: 7, rootHash }, noteSignerFromKey(key, origin));
  const vkey = verifierKey(origin, ed25519PublicKeyFromJwk(key.publicJwk)!);

  const opened = await openCheckpoint(note, [vkey]);
  expect(opened).toMatchObject({ origin, treeSize: 7, keyName: origin });
  expect(Buffer.from(opened.rootHash).equals(rootHash)).toBe(true);

  await expect(openCheckpoint(note.replace('\n7\n', '\n8\n'), [vkey])).rejects.toThrow(/does not verify/);
  const other = await loadSigningKey({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'qtm-console-verify-')) });
  const otherKey = verifierKey(origin, ed25519PublicKeyFromJwk(other.publicJwk)!);
  await expect(openCheckpoint(note, [otherKey])).rejects.toThrow(/no signature by a key/);
  await expect(openCheckpoint(note, [vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')])).rejects.toThrow(/key id/);
});
