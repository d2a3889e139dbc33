/**
 * Delivers a webhook over HTTP the way GitHub does: JSON body signed with HMAC-SHA256 by
 * `@octokit/webhooks`, plus the `X-GitHub-*` headers.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';

/** What {@link sendWebhook} takes. */
export interface SendWebhookInput {
  /** Where to POST, e.g. `http://127.0.0.1:1234/webhooks`. */
  readonly url: string;
  /** The webhook secret the signature is computed with. */
  readonly secret: string;
  /** `X-GitHub-Event`, e.g. `pull_request`. */
  readonly event: string;
  /** The payload; serialized with `JSON.stringify`. */
  readonly payload: unknown;
  /** `X-GitHub-Delivery`. @defaultValue a random UUID */
  readonly deliveryId?: string;
  /** Replaces the computed `X-Hub-Signature-256`, to test rejection. */
  readonly signature?: string;
}

/** The receiver's answer. */
export interface SendWebhookResult {
  readonly status: number;
  readonly body: string;
  readonly deliveryId: string;
}

/** Signs a payload string exactly like GitHub: `sha256=<hex HMAC>`. */
export function signPayload(secret: string, payload: string): Promise<string> {
  return new Webhooks({ secret }).sign(payload);
}

/** Signs and POSTs one delivery. */
export async function sendWebhook(input: SendWebhookInput): Promise<SendWebhookResult> {
  const body = JSON.stringify(input.payload);
  const deliveryId = input.deliveryId ?? randomUUID();
  const response = await fetch(input.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/fake',
      'x-github-event': input.event,
      'x-github-delivery': deliveryId,
      'x-hub-signature-256': input.signature ?? (await signPayload(input.secret, body)),
    },
    body,
  });
  return { status: response.status, body: await response.text(), deliveryId };
}
