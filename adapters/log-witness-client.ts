/**
 * The log's side of the C2SP tlog-witness protocol (https://c2sp.org/tlog-witness): a new
 * checkpoint goes to a witness with a consistency proof from the size the witness last saw; the
 * witness answers with its cosignature, or 409 with the size it really has (then the proof is
 * made from that size, once), or refuses. The cosignature is checked against the configured key
 * before it is kept, so a misconfigured or lying witness cannot add a line that fails verifiers.
 */
import { parseNote } from '../trust/log-checkpoint';
import { verifyCosignature, type WitnessKey } from '../trust/log-cosignature';

/** A witness the log sends its checkpoints to (configured by LOG_WITNESSES). */
export interface WitnessEndpoint {
  key: WitnessKey;
  /** Base URL of its C2SP tlog-witness API (POST <url>/add-checkpoint). */
  url: string;
}

export type WitnessOutcome =
  | { kind: 'cosigned'; witness: string; keyId: string; line: string; cosignedAt: string; oldSize: number }
  /** The witness answered and would not cosign (a fork, an unknown key, a bad proof...). */
  | { kind: 'refused'; witness: string; status: number; detail: string }
  /** No answer in time, or no connection: says nothing about the log. */
  | { kind: 'unavailable'; witness: string; detail: string };

export interface WitnessSubmission {
  note: string;
  treeSize: number;
  /** The size the witness last cosigned, as far as this log knows (0 when never). */
  knownSize: number;
  /** RFC 9162 consistency proof from `from` to treeSize. */
  proofFrom(from: number): Promise<Buffer[]>;
}

export function addCheckpointBody(oldSize: number, proof: Buffer[], note: string): string {
  return `old ${oldSize}\n${proof.map((h) => `${h.toString('base64')}\n`).join('')}\n${note}`;
}

export async function submitToWitness(
  endpoint: WitnessEndpoint,
  submission: WitnessSubmission,
  timeoutMs: number,
): Promise<WitnessOutcome> {
  const witness = endpoint.key.name;
  const signal = AbortSignal.timeout(timeoutMs);
  const text = parseNote(submission.note).text;
  let oldSize = Math.min(submission.knownSize, submission.treeSize);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    let response: Response;
    let body: string;
    try {
      const proof = await submission.proofFrom(oldSize);
      response = await fetch(`${endpoint.url}/add-checkpoint`, {
        method: 'POST',
        body: addCheckpointBody(oldSize, proof, submission.note),
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        signal,
      });
      body = await response.text();
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : describe(error);
      return { kind: 'unavailable', witness, detail: reason };
    }
    if (response.status === 409 && attempt === 0) {
      // The witness has another size than we thought: prove consistency from that one.
      const known = /^(0|[1-9][0-9]*)\n?$/.exec(body);
      const size = known ? Number(known[1]) : NaN;
      if (Number.isSafeInteger(size) && size <= submission.treeSize) {
        oldSize = size;
        continue;
      }
      return {
        kind: 'refused',
        witness,
        status: 409,
        detail: known
          ? `the witness has seen tree size ${size}, larger than this checkpoint's ${submission.treeSize}`
          : `409 without a tree size: ${body.slice(0, 200)}`,
      };
    }
    if (response.status !== 200)
      return { kind: 'refused', witness, status: response.status, detail: body.trim().slice(0, 500) || 'no detail' };
    return cosignatureFrom(endpoint, text, body, oldSize);
  }
  return { kind: 'refused', witness, status: 409, detail: 'the witness changed its size twice' };
}

function cosignatureFrom(endpoint: WitnessEndpoint, text: string, body: string, oldSize: number): WitnessOutcome {
  const witness = endpoint.key.name;
  const refused = (detail: string): WitnessOutcome => ({ kind: 'refused', witness, status: 200, detail });
  let signatures;
  try {
    // The answer is signature lines only: parse them as the signature block of a note.
    signatures = parseNote(`${text}\n${body}`).signatures;
  } catch (error) {
    return refused(`the answer is not cosignature lines: ${(error as Error).message}`);
  }
  const lines = body.split('\n').filter(Boolean);
  const index = signatures.findIndex((s) => s.name === endpoint.key.name && s.keyId.equals(endpoint.key.keyId));
  if (index < 0) return refused(`no cosignature by the configured key ${endpoint.key.vkey}`);
  const check = verifyCosignature(text, signatures[index]!, endpoint.key);
  if (!check.ok || check.timestamp === null) return refused(check.detail);
  return {
    kind: 'cosigned',
    witness,
    keyId: endpoint.key.keyId.toString('hex'),
    line: `${lines[index]}\n`,
    cosignedAt: new Date(check.timestamp * 1000).toISOString(),
    oldSize,
  };
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
