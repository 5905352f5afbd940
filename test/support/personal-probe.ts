/**
 * Distinctive personal values, a lifecycle that carries each of them through the API, and the
 * places that must never show them: what anyone can read without a token, and the Temporal
 * history as the server holds it (fetched with the CLI, no codec). The privacy and erasure
 * tests search these for every value.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Payload } from '@temporalio/common';
import type { Principal, SubmitRequestBody } from '../../domain/schemas';
import { payloadCodec, type PayloadCodecConfig } from '../../adapters/temporal-connection';
import { tilePath } from '../../trust/log-tiles';
import { toolsBin } from '../../stack/go-tools';
import type { HttpResult, TestApi } from './api';
import { eventually } from './eventually';
import { operator, requester } from './fixtures';
import { knownOperatorId } from './operators';

const run = promisify(execFile);

/** Values no other test uses, so a hit anywhere is this lifecycle's data. */
export const PERSONAL = {
  name: 'Zyxwanda Quormsby-Pellatt',
  email: 'zyxwanda.quormsby@probe.example',
  phone: '+44 7700 900917',
  address: '17 Quillfeather Lane, Nethercombe NX4 2QQ',
  lat: 51.4321987,
  lng: -0.1234987,
  details: 'Spare key under the blue heron statue; ring twice',
  approveNote: 'Approved after a call with Zyxwanda about the heron key',
  evidenceNote: 'Customer said her alarm code is 7319-Q',
  summary: 'Replaced the Quillfeather valve and tested the heron line',
} as const;

/** A photo of the customer's place: bytes no other test uploads (the marker is what a search finds). */
export const PHOTO_MARKER = 'PHOTO-OF-17-QUILLFEATHER-LANE';
export const PHOTO = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from(`${PHOTO_MARKER}:${'x'.repeat(64)}`),
]);
export const PHOTO_SHA256 = createHash('sha256').update(PHOTO).digest('hex');

/** How each value could appear in text: as written, and numbers as JSON writes them. */
export const PERSONAL_STRINGS: string[] = Object.values(PERSONAL).map(String);

export const personalBody = (operatorId?: string): SubmitRequestBody => ({
  channel: 'web',
  actor: {
    kind: 'person',
    name: PERSONAL.name,
    contact: { email: PERSONAL.email, phone: PERSONAL.phone, address: PERSONAL.address },
  },
  request: {
    category: 'plumbing',
    summary: 'Leaking valve',
    details: PERSONAL.details,
    location: { address: PERSONAL.address, lat: PERSONAL.lat, lng: PERSONAL.lng },
  },
  ...(operatorId ? { operatorId } : {}),
});

export interface ProbeLifecycle {
  requester: Principal;
  operatorId: string;
  actorId: string;
  intakeId: string;
  requestId: string;
  recordId: string;
  signalId: string;
  workflowId: string;
}

/** One admin-audience lifecycle through the API that carries every value of PERSONAL. */
export async function personalLifecycle(api: TestApi, boss: Principal): Promise<ProbeLifecycle> {
  const operatorId = await knownOperatorId(api);
  const alice = requester();
  const staff = operator(operatorId);
  const ok = async (what: string, res: Promise<HttpResult>) => {
    const { status, body } = await res;
    if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
    return body;
  };
  const submitted = await ok('submit', api.call('POST', '/v1/requests', { as: alice, body: personalBody() }));
  const { intakeId, taskId, requestId } = submitted;
  await ok(
    'approve',
    api.call('POST', `/v1/tasks/${taskId}/approve`, { as: boss, body: { note: PERSONAL.approveNote } }),
  );
  await ok('assign', api.call('POST', `/v1/tasks/${taskId}/assign`, { as: boss, body: { operatorId } }));
  const job = await ok('job', api.call('POST', `/v1/tasks/${taskId}/job`, { as: boss, body: {} }));
  await ok('claim', api.call('POST', `/v1/jobs/${job.id}/claim`, { as: staff, body: {} }));
  const started = await ok('start', api.call('POST', `/v1/jobs/${job.id}/start`, { as: staff, body: {} }));
  const se = started.serviceEventId as string;
  await ok(
    'evidence',
    api.call('POST', `/v1/service-events/${se}/evidence`, {
      as: staff,
      body: { kind: 'note', description: PERSONAL.evidenceNote },
    }),
  );
  const upload = await fetch(`${api.url}/v1/service-events/${se}/evidence/files?sha256=${PHOTO_SHA256}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await api.token(staff)}`, 'content-type': 'image/png' },
    body: PHOTO,
  });
  if (upload.status !== 201) throw new Error(`upload: ${upload.status} ${await upload.text()}`);
  await ok(
    'photo',
    api.call('POST', `/v1/service-events/${se}/evidence`, {
      as: staff,
      body: { kind: 'photo', sha256: PHOTO_SHA256, mediaType: 'image/png' },
    }),
  );
  await ok(
    'complete',
    api.call('POST', `/v1/service-events/${se}/complete`, {
      as: staff,
      body: { outcome: 'completed', summary: PERSONAL.summary },
    }),
  );
  const outcome = await api.intakes.handle(intakeId).result();
  const request = await ok('request', api.call('GET', `/v1/requests/${requestId}`, { as: alice }));
  return {
    requester: alice,
    operatorId,
    actorId: request.actor.id,
    intakeId,
    requestId,
    recordId: outcome.recordId!,
    signalId: outcome.signalId!,
    workflowId: `intake-${intakeId}`,
  };
}

/** Waits until a signed checkpoint covers the whole log (the admin asks for one). */
export async function checkpointCoveringAll(api: TestApi, boss: Principal): Promise<number> {
  return eventually('a checkpoint of the whole log', async () => {
    const signed = await api.call('POST', '/v1/log/checkpoint', { as: boss });
    return signed.status < 300 ? (signed.body.treeSize as number) : undefined;
  });
}

/** Every answer anyone gets without a token, path → body as text. */
export async function publicAnswers(
  api: TestApi,
  probe: ProbeLifecycle,
  treeSize: number,
): Promise<Map<string, string>> {
  const paths = [
    '/v1/log/checkpoint',
    '/v1/log/checkpoint?format=json',
    '/log/checkpoint',
    '/v1/log/keys',
    `/v1/log/consistency?from=1&to=${treeSize}`,
    '/.well-known/jwks.json',
    '/.well-known/did.json',
    `/v1/signals/${probe.signalId}`,
    `/v1/operators/${probe.operatorId}/signals`,
    '/metrics',
    '/openapi.json',
    '/healthz',
    '/readyz',
  ];
  // Every tile and entry bundle of the tree: level L holds floor(size / 256^L) hashes.
  for (let level = 0, nodes = treeSize; nodes > 0; level += 1, nodes = Math.floor(nodes / 256)) {
    for (let index = 0; index * 256 < nodes; index += 1) {
      const width = Math.min(256, nodes - index * 256);
      paths.push(`/log/${tilePath({ kind: 'hashes', level, index, width })}`);
      if (level === 0) paths.push(`/log/${tilePath({ kind: 'entries', index, width })}`);
    }
  }
  const answers = new Map<string, string>();
  for (const p of paths) {
    const res = await fetch(`${api.url}${p}`);
    answers.set(`${p} (${res.status})`, Buffer.from(await res.arrayBuffer()).toString('utf8'));
  }
  return answers;
}

/**
 * The workflow as the Temporal server keeps it, read with the CLI and no codec: its history (every
 * payload's bytes decoded from base64, so a value in a payload shows) and its description (summary,
 * details, search attributes).
 */
export async function rawTemporal(workflowId: string): Promise<string> {
  const cli = path.join(toolsBin, 'temporal');
  const common = ['--address', process.env.TEMPORAL_ADDRESS!, '--namespace', 'default', '-w', workflowId, '-o', 'json'];
  const [history, description] = await Promise.all([
    run(cli, ['workflow', 'show', ...common], { maxBuffer: 64 * 1024 * 1024 }),
    run(cli, ['workflow', 'describe', ...common], { maxBuffer: 16 * 1024 * 1024 }),
  ]);
  const text = history.stdout + description.stdout;
  const decoded = [...text.matchAll(/"(?:data|metadata)"\s*:\s*"([A-Za-z0-9+/=]+)"/g)].map((m) =>
    Buffer.from(m[1]!, 'base64').toString('utf8'),
  );
  return [text, ...decoded].join('\n');
}

/**
 * The history as ops staff read it through the codec server: every payload decrypted with the
 * deployment's payload key ring. Shows that what Temporal holds is references, encrypted or not.
 */
export async function decryptedTemporal(workflowId: string, config: PayloadCodecConfig): Promise<string> {
  const cli = path.join(toolsBin, 'temporal');
  const common = ['--address', process.env.TEMPORAL_ADDRESS!, '--namespace', 'default', '-w', workflowId];
  const shown = await run(cli, ['workflow', 'show', ...common, '-o', 'json', '--no-json-shorthand-payloads'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const payloads: Payload[] = [];
  const collect = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.data === 'string' && o.metadata && typeof o.metadata === 'object') {
        const metadata = Object.fromEntries(
          Object.entries(o.metadata as Record<string, string>).map(([k, b64]) => [k, Buffer.from(b64, 'base64')]),
        );
        payloads.push({ metadata, data: Buffer.from(o.data, 'base64') });
      } else Object.values(o).forEach(collect);
    }
  };
  collect(JSON.parse(shown.stdout));
  const codec = payloadCodec(config);
  const decoded = codec ? await codec.decode(payloads) : payloads;
  if (decoded.length === 0) throw new Error(`no payloads in the history of ${workflowId}`);
  return decoded.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
}

/**
 * The text with what it encodes appended: every base64/base64url run (disclosures, payloads) and
 * every bytea hex literal (pg_dump's \\x…) decoded, so a value stored encoded is found too.
 */
export function decodedToo(text: string): string {
  const base64 = [...text.matchAll(/[A-Za-z0-9+/_-]{16,}={0,2}/g)].map((m) =>
    Buffer.from(m[0].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1'),
  );
  const hex = [...text.matchAll(/\\x([0-9a-f]{2,})/g)].map((m) => Buffer.from(m[1]!, 'hex').toString('latin1'));
  return [text, ...base64, ...hex].join('\n');
}

/** Which of the personal values a text contains. */
export const personalIn = (text: string): string[] => PERSONAL_STRINGS.filter((value) => text.includes(value));

/** { where: [values found] } for every place that shows a personal value. */
export function leaks(places: Map<string, string>): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [where, text] of places) {
    const values = personalIn(text);
    if (values.length > 0) found[where] = values;
  }
  return found;
}
