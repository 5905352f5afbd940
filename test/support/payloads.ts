/**
 * Payloads inside Temporal histories, wherever they sit: in a history as the SDK returns it
 * (protobuf objects, bytes as Uint8Array) or as JSON (the CLI's `--output json`, bytes in base64).
 */
import type { PayloadCodec } from '@temporalio/common';

export interface FoundPayload {
  /** Where it sits: the path of keys from the root (`events.3.workflowExecutionStartedEventAttributes.input.payloads.0`). */
  path: string;
  metadata: Record<string, string>;
  data: Buffer;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !ArrayBuffer.isView(value);

const bytes = (value: unknown): Buffer | null =>
  value instanceof Uint8Array ? Buffer.from(value) : typeof value === 'string' ? Buffer.from(value, 'base64') : null;

/** A payload is an object with a metadata map of bytes (and maybe data): the shape of temporal.api.common.v1.Payload. */
function asPayload(value: Record<string, unknown>): Omit<FoundPayload, 'path'> | null {
  const { metadata } = value;
  if (
    !isObject(metadata) ||
    Object.keys(value).some((k) => k !== 'metadata' && k !== 'data' && k !== 'externalPayloads')
  )
    return null;
  const entries = Object.entries(metadata).map(([k, v]) => [k, bytes(v)] as const);
  if (entries.length === 0 || entries.some(([, v]) => v === null)) return null;
  return {
    metadata: Object.fromEntries(entries.map(([k, v]) => [k, v!.toString('utf8')])),
    data: bytes(value.data) ?? Buffer.alloc(0),
  };
}

export function payloadsIn(root: unknown): FoundPayload[] {
  const out: FoundPayload[] = [];
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${path}.${i}`));
    else if (isObject(value)) {
      const payload = asPayload(value);
      if (payload) out.push({ path: path.slice(1), ...payload });
      else for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`);
    }
  };
  walk(root, '');
  return out;
}

/** Decodes every payload of a history (as the SDK returns it) in place: what `npm run record-histories` stores. */
export async function decodePayloadsInPlace(root: unknown, codec: PayloadCodec): Promise<void> {
  const visit = async (value: unknown): Promise<void> => {
    if (Array.isArray(value)) {
      for (const item of value) await visit(item);
      return;
    }
    if (!isObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (isObject(child) && asPayload(child)) {
        const [decoded] = await codec.decode([child as never]);
        value[key] = decoded;
      } else if (Array.isArray(child) && child.length > 0 && child.every((c) => isObject(c) && asPayload(c))) {
        value[key] = await codec.decode(child as never);
      } else await visit(child);
    }
  };
  await visit(root);
}
