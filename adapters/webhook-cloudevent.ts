/**
 * The body of a webhook: a CloudEvents 1.0 event in the structured JSON format, built and checked
 * by the `cloudevents` package (it refuses an event missing a required attribute).
 */
import { CloudEvent, HTTP } from 'cloudevents';
import type { WebhookEventDraft } from '../domain/webhook-events';

export function cloudEventBody(id: string, draft: WebhookEventDraft): string {
  const event = new CloudEvent({
    specversion: '1.0',
    id,
    source: draft.source,
    type: draft.type,
    time: draft.time,
    subject: draft.subject,
    datacontenttype: 'application/json',
    sequence: draft.sequence,
    data: draft.data,
  });
  return HTTP.structured(event).body as string;
}
