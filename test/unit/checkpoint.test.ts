/**
 * Signed notes and checkpoints against the reference example of Go's sumdb/note (the format
 * C2SP signed-note standardises): Ed25519 is deterministic, so our signer must reproduce the
 * published note byte for byte, and our key ids and verifier keys must match.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { MemoryTree, leafHash } from '../../trust/log-merkle';
import {
  checkpointText,
  noteKeyId,
  openCheckpoint,
  parseCheckpointText,
  parseNote,
  signCheckpoint,
  signNote,
  strictBase64,
  verifierKey,
  type NoteSigner,
} from '../../trust/log-checkpoint';

const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const NOTE = `${TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function peterNeumann(): NoteSigner {
  const seed = Buffer.from(SKEY.split('+').slice(4).join('+'), 'base64').subarray(1);
  const publicKey = Buffer.from(VKEY.split('+').slice(2).join('+'), 'base64').subarray(1);
  return {
    name: 'PeterNeumann',
    publicKey,
    privateKey: createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' }),
  };
}

function freshSigner(name: string): NoteSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { name, privateKey, publicKey: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url') };
}

describe('signed notes (reference example)', () => {
  test('key id and verifier key match the reference', () => {
    const signer = peterNeumann();
    expect(noteKeyId(signer.name, signer.publicKey).toString('hex')).toBe('c74f20a3');
    expect(verifierKey(signer.name, signer.publicKey)).toBe(VKEY);
  });

  test('signing reproduces the reference note byte for byte, and it parses back', () => {
    expect(signNote(TEXT, peterNeumann())).toBe(NOTE);
    const parsed = parseNote(NOTE);
    expect(parsed.text).toBe(TEXT);
    expect(parsed.signatures).toHaveLength(1);
    expect(parsed.signatures[0]!.keyId.toString('hex')).toBe('c74f20a3');
  });

  test('malformed notes are refused', () => {
    expect(() => parseNote(TEXT)).toThrow(/blank line/);
    expect(() => parseNote(NOTE.slice(0, -1))).toThrow(/end with a newline/);
    expect(() => parseNote(NOTE.replace('\u2014', '-'))).toThrow(/malformed signature line/);
    expect(() => parseNote(NOTE.replace('AM=\n', 'AN=\n'))).toThrow(/canonical base64/);
    expect(() => parseNote(NOTE.replace('problem,', 'problem,\r'))).toThrow(/control characters/);
    expect(() => signNote('no final newline', peterNeumann())).toThrow(/end with a newline/);
    expect(() => signNote('a\n\nb\n', peterNeumann())).toThrow(/blank lines/);
    expect(strictBase64('QQ==')).toEqual(Buffer.from('A'));
    expect(strictBase64('QR==')).toBeNull();
    expect(strictBase64('Q$Q=')).toBeNull();
  });
});

describe('checkpoints', () => {
  const tree = new MemoryTree(['a', 'b', 'c'].map((s) => leafHash(Buffer.from(s))));
  const checkpoint = { origin: 'qtm.example/records', treeSize: 3, rootHash: tree.root() };
  const signer = freshSigner('qtm.example/records');

  test('the body is origin, decimal size and base64 root, and round-trips', () => {
    expect(checkpointText(checkpoint)).toBe(`qtm.example/records\n3\n${tree.root().toString('base64')}\n`);
    expect(parseCheckpointText(checkpointText(checkpoint))).toEqual(checkpoint);
    expect(() => parseCheckpointText(`o\n03\n${tree.root().toString('base64')}\n`)).toThrow(/leading zeros/);
    expect(() => parseCheckpointText('o\n3\nAAAA\n')).toThrow(/32 bytes/);
  });

  test('a signed checkpoint opens with its key, and only with its key', () => {
    const note = signCheckpoint(checkpoint, signer);
    expect(note).toMatch(
      /^qtm\.example\/records\n3\n[A-Za-z0-9+/]{43}=\n\n\u2014 qtm\.example\/records [A-Za-z0-9+/]{91}=\n$/,
    );
    const opened = openCheckpoint(note, [signer.publicKey], 'qtm.example/records');
    expect(opened).toEqual({
      checkpoint,
      keyName: 'qtm.example/records',
      keyId: noteKeyId(signer.name, signer.publicKey).toString('hex'),
    });
    expect(() => openCheckpoint(note, [freshSigner('x').publicKey])).toThrow(/no signature by a known key/);
    expect(() => openCheckpoint(note, [signer.publicKey], 'other.example/log')).toThrow(
      /expected "other.example\/log"/,
    );
    expect(() => openCheckpoint(note.replace('\n3\n', '\n4\n'), [signer.publicKey])).toThrow(/does not verify/);
  });

  test('a key named differently from the origin does not vouch for the checkpoint', () => {
    const other = { ...signer, name: 'someone.else/log' };
    expect(() => openCheckpoint(signCheckpoint(checkpoint, other), [signer.publicKey])).toThrow(
      /origin is "qtm.example\/records"/,
    );
  });

  test('flipping any bit of any byte of a checkpoint note makes it fail to open', () => {
    const note = Buffer.from(signCheckpoint(checkpoint, signer), 'utf8');
    const opened: string[] = [];
    for (let i = 0; i < note.length; i += 1) {
      for (let bit = 0; bit < 8; bit += 1) {
        const copy = Buffer.from(note);
        copy[i] = copy[i]! ^ (1 << bit);
        try {
          openCheckpoint(new TextDecoder('utf-8', { fatal: false }).decode(copy), [signer.publicKey]);
          opened.push(`byte ${i} bit ${bit}`);
        } catch {
          // refused, as it should be
        }
      }
    }
    expect(opened).toEqual([]);
  });
});
