/**
 * Trust without exposure (guardrail 9): a lifecycle that carries distinctive personal values
 * (name, email, phone, address, coordinates, details, a decision note, an evidence note, an
 * outcome summary) leaves none of them where they must never be: any answer reachable without a
 * token (checkpoints, every tile and entry bundle, Signals, keys, DID, metrics, proofs), any
 * webhook delivery, or the Temporal history as the server holds it. Those entitled still read
 * every value, and the Record's disclosures open each commitment.
 */
import { startWebhookReceiver, type WebhookReceiver } from '../adapters/webhook-receiver';
import { checkDisclosures } from '../trust/disclosure';
import { eventually } from './support/eventually';
import {
  checkpointCoveringAll,
  decryptedTemporal,
  leaks,
  PERSONAL,
  personalIn,
  personalLifecycle,
  publicAnswers,
  rawTemporal,
  type ProbeLifecycle,
} from './support/personal-probe';
import { startWebhookStack, type WebhookStack } from './support/webhooks';

let stack: WebhookStack;
let receiver: WebhookReceiver;
let probe: ProbeLifecycle;

beforeAll(async () => {
  stack = await startWebhookStack();
  receiver = await startWebhookReceiver();
  await stack.subscribe(receiver);
  probe = await personalLifecycle(stack.api, stack.admin);
});
afterAll(async () => {
  await receiver?.stop();
  await stack?.stop();
});

test('nothing reachable without a token holds a personal value', async () => {
  const treeSize = await checkpointCoveringAll(stack.api, stack.admin);
  const answers = await publicAnswers(stack.api, probe, treeSize);
  // The walk reached the entry bundle that holds this lifecycle's Record.
  expect([...answers.keys()].some((k) => k.startsWith('/log/tile/entries/') && k.endsWith('(200)'))).toBe(true);
  expect([...answers.keys()].filter((k) => k.startsWith(`/v1/signals/${probe.signalId} (200)`))).toHaveLength(1);
  expect(leaks(answers)).toEqual({});
});

test('no webhook delivery holds a personal value', async () => {
  const events = await receiver.waitFor((all) =>
    all.some((e) => e.type === 'signal.emitted' && e.data.intakeId === probe.intakeId),
  );
  const bodies = new Map(events.map((e) => [`${e.type} ${e.webhookId}`, JSON.stringify(e)]));
  expect(bodies.size).toBeGreaterThanOrEqual(7);
  expect(leaks(bodies)).toEqual({});
});

test('the Temporal history, read raw with the CLI, holds no personal value', async () => {
  const raw = await rawTemporal(probe.workflowId);
  expect(raw).toContain(probe.intakeId); // the history was read
  expect(personalIn(raw)).toEqual([]);
});

test('decrypted with the payload keys, as ops staff read it, the history still holds only references', async () => {
  const decrypted = await decryptedTemporal(probe.workflowId, stack.api.config);
  expect(decrypted).toContain(probe.intakeId); // the payloads were decrypted
  expect(decrypted).toMatch(/"sd:[A-Za-z0-9_-]{43}"/); // personal values travel as references
  expect(personalIn(decrypted)).toEqual([]);
});

test('those entitled still read every value, and the Record’s disclosures open each commitment', async () => {
  const chain = await stack.api.call('GET', `/v1/intakes/${probe.intakeId}`, { as: probe.requester });
  expect(chain.status).toBe(200);
  expect(personalIn(JSON.stringify(chain.body)).sort()).toEqual(Object.values(PERSONAL).map(String).sort());

  const record = chain.body.record.record;
  expect(personalIn(JSON.stringify(record))).toEqual([]);
  const opened = await eventually('the disclosures', async () => {
    const res = await stack.api.call('GET', `/v1/records/${probe.recordId}/disclosures`, { as: probe.requester });
    return res.status === 200 ? res.body : undefined;
  });
  expect(opened.committed).toBe(opened.disclosures.length);
  const disclosed = checkDisclosures(
    record,
    opened.disclosures.map((d: { disclosure: string }) => d.disclosure),
  );
  expect(disclosed.every((d) => d.ok)).toBe(true);
  expect(personalIn(JSON.stringify(disclosed)).sort()).toEqual(Object.values(PERSONAL).map(String).sort());
});
