/**
 * Verifying webhook deliveries and parsing the events Quantum Merge acts on into a small typed union. Pure
 * functions: the HTTP server maps {@link WebhookSignatureError} to 401.
 *
 * @module
 */
import { Webhooks } from '@octokit/webhooks';
import { PRIORITIES, type Priority } from '../scheduler/types.js';
import { WebhookPayloadError, WebhookSignatureError } from './errors.js';

/** A merge command from a PR comment. */
export type MergeCommand =
  | { readonly action: 'merge' }
  | { readonly action: 'cancel' }
  | { readonly action: 'priority'; readonly priority: Priority };

/**
 * An event Quantum Merge acts on. `repo` is `owner/name`; `base` a branch name; shas are full 40-hex.
 *
 * - `pull_request`: labeled/unlabeled (with `label`), synchronize (a push: `headSha` is the new head),
 *   closed (`merged` tells whether it was merged).
 * - `merge_command`: an `issue_comment` created on a PR whose body holds a `/merge` line.
 * - `check`: a `check_run` or `check_suite` completed on `sha`, with its `conclusion` (`success`,
 *   `failure`, `neutral`, `cancelled`, `skipped`, `timed_out`, `action_required`, `stale`, or `null`).
 * - `status`: a commit status on `sha` (`pending`, `success`, `failure`, `error`).
 */
export type QuantumMergeEvent =
  | {
      readonly kind: 'pull_request';
      readonly action: 'labeled' | 'unlabeled' | 'synchronize' | 'closed';
      readonly repo: string;
      readonly pr: number;
      readonly base: string;
      readonly headSha: string;
      /** The label added or removed (`labeled`/`unlabeled` only). */
      readonly label?: string;
      /** Whether a `closed` PR was merged; `false` for other actions. */
      readonly merged: boolean;
    }
  | {
      readonly kind: 'merge_command';
      readonly repo: string;
      readonly pr: number;
      readonly command: MergeCommand;
      /** Login of the commenter; permission checks are the caller's. */
      readonly author: string;
      readonly commentId: number;
    }
  | {
      readonly kind: 'check';
      readonly source: 'check_run' | 'check_suite';
      readonly repo: string;
      readonly sha: string;
      /** Check run name, or the suite's app slug. */
      readonly name: string;
      readonly conclusion: string | null;
      /** Link to the run (for failure reports), when GitHub sent one. */
      readonly url: string | undefined;
    }
  | {
      readonly kind: 'status';
      readonly repo: string;
      readonly sha: string;
      readonly context: string;
      readonly state: 'pending' | 'success' | 'failure' | 'error';
      readonly url: string | undefined;
    };

/** What {@link verifyWebhookDelivery} takes: the raw body exactly as received, and the headers' values. */
export interface WebhookDelivery {
  /** The request body as received; re-serialized JSON would not match the signature. */
  readonly payload: string;
  /** `X-Hub-Signature-256`: `sha256=<hex HMAC-SHA256 of payload>`. */
  readonly signature: string | undefined;
  /** `X-GitHub-Delivery`, for error messages and deduplication. */
  readonly deliveryId?: string;
}

/**
 * Checks a delivery's HMAC-SHA256 signature against the webhook secret (constant-time comparison).
 *
 * @throws {@link WebhookSignatureError} when the signature is missing, malformed or does not match
 * @see {@link https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries}
 */
export async function verifyWebhookDelivery(
  secret: string,
  delivery: WebhookDelivery,
): Promise<void> {
  const { payload, signature, deliveryId } = delivery;
  if (signature === undefined || !signature.startsWith('sha256=') || payload === '') {
    throw new WebhookSignatureError(deliveryId);
  }
  let valid: boolean;
  try {
    valid = await new Webhooks({ secret }).verify(payload, signature);
  } catch (error) {
    throw new WebhookSignatureError(deliveryId, { cause: error });
  }
  if (!valid) throw new WebhookSignatureError(deliveryId);
}

const COMMAND_LINE = /^\/merge(?:[ \t]+(.*))?$/;

/**
 * Finds the first line of a comment that is a `/merge` command.
 *
 * @remarks
 * Accepted: `/merge`, `/merge cancel`, `/merge priority <high|normal>` (surrounding whitespace ignored,
 * arguments case-insensitive). A line starting with `/merge` with any other arguments, and all other text,
 * is not a command.
 * @returns the command, or `undefined` when there is none
 */
export function parseMergeCommand(body: string): MergeCommand | undefined {
  for (const rawLine of body.split(/\r?\n/)) {
    const match = COMMAND_LINE.exec(rawLine.trim());
    if (match === null) continue;
    const args = (match[1] ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (args.length === 0) return { action: 'merge' };
    if (args.length === 1 && args[0] === 'cancel') return { action: 'cancel' };
    const priority = PRIORITIES.find((p) => p === args[1]);
    if (args.length === 2 && args[0] === 'priority' && priority !== undefined) {
      return { action: 'priority', priority };
    }
    return undefined;
  }
  return undefined;
}

type Json = Record<string, unknown>;

class Reader {
  readonly #event: string;

  constructor(event: string) {
    this.#event = event;
  }

  object(value: unknown, path: string): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.#fail(path, 'an object');
    return value as Json;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') this.#fail(path, 'a string');
    return value;
  }

  number(value: unknown, path: string): number {
    if (typeof value !== 'number') this.#fail(path, 'a number');
    return value;
  }

  optionalString(value: unknown): string | undefined {
    return typeof value === 'string' ? value : undefined;
  }

  #fail(path: string, expected: string): never {
    throw new WebhookPayloadError({ event: this.#event, problem: `"${path}" is not ${expected}` });
  }
}

/**
 * Turns a verified delivery into a {@link QuantumMergeEvent}, or `undefined` for events and actions Quantum
 * Merge ignores (e.g. `pull_request.opened`, comments without a command, comments on issues).
 *
 * @param event - the `X-GitHub-Event` header, e.g. `pull_request`
 * @param payload - the raw body (a JSON string) or the already parsed JSON
 * @throws {@link WebhookPayloadError} when the body is not JSON or a needed field is missing
 */
export function parseWebhookEvent(event: string, payload: unknown): QuantumMergeEvent | undefined {
  let data: unknown = payload;
  if (typeof payload === 'string') {
    try {
      data = JSON.parse(payload);
    } catch (error) {
      throw new WebhookPayloadError({ event, problem: 'the body is not JSON' }, { cause: error });
    }
  }
  const r = new Reader(event);
  const body = r.object(data, '$');
  const action = body.action;
  switch (event) {
    case 'pull_request': {
      if (
        action !== 'labeled' &&
        action !== 'unlabeled' &&
        action !== 'synchronize' &&
        action !== 'closed'
      ) {
        return undefined;
      }
      const pull = r.object(body.pull_request, 'pull_request');
      const label =
        action === 'labeled' || action === 'unlabeled' ? r.object(body.label, 'label') : undefined;
      return {
        kind: 'pull_request',
        action,
        repo: repoName(r, body),
        pr: r.number(pull.number, 'pull_request.number'),
        base: r.string(r.object(pull.base, 'pull_request.base').ref, 'pull_request.base.ref'),
        headSha: r.string(r.object(pull.head, 'pull_request.head').sha, 'pull_request.head.sha'),
        ...(label === undefined ? {} : { label: r.string(label.name, 'label.name') }),
        merged: action === 'closed' && pull.merged === true,
      };
    }
    case 'issue_comment': {
      if (action !== 'created') return undefined;
      const issue = r.object(body.issue, 'issue');
      // Comments on plain issues have no `pull_request` key.
      if (issue.pull_request === undefined || issue.pull_request === null) return undefined;
      const comment = r.object(body.comment, 'comment');
      const command = parseMergeCommand(r.string(comment.body, 'comment.body'));
      if (command === undefined) return undefined;
      return {
        kind: 'merge_command',
        repo: repoName(r, body),
        pr: r.number(issue.number, 'issue.number'),
        command,
        author: r.string(r.object(comment.user, 'comment.user').login, 'comment.user.login'),
        commentId: r.number(comment.id, 'comment.id'),
      };
    }
    case 'check_run': {
      if (action !== 'completed') return undefined;
      const run = r.object(body.check_run, 'check_run');
      return {
        kind: 'check',
        source: 'check_run',
        repo: repoName(r, body),
        sha: r.string(run.head_sha, 'check_run.head_sha'),
        name: r.string(run.name, 'check_run.name'),
        conclusion: r.optionalString(run.conclusion) ?? null,
        url: r.optionalString(run.details_url) ?? r.optionalString(run.html_url),
      };
    }
    case 'check_suite': {
      if (action !== 'completed') return undefined;
      const suite = r.object(body.check_suite, 'check_suite');
      const app =
        suite.app === null || suite.app === undefined
          ? undefined
          : r.object(suite.app, 'check_suite.app');
      return {
        kind: 'check',
        source: 'check_suite',
        repo: repoName(r, body),
        sha: r.string(suite.head_sha, 'check_suite.head_sha'),
        name: r.optionalString(app?.slug) ?? 'check_suite',
        conclusion: r.optionalString(suite.conclusion) ?? null,
        url: r.optionalString(suite.url),
      };
    }
    case 'status': {
      const state = body.state;
      if (state !== 'pending' && state !== 'success' && state !== 'failure' && state !== 'error') {
        throw new WebhookPayloadError({ event, problem: `"state" is "${String(state)}"` });
      }
      return {
        kind: 'status',
        repo: repoName(r, body),
        sha: r.string(body.sha, 'sha'),
        context: r.string(body.context, 'context'),
        state,
        url: r.optionalString(body.target_url),
      };
    }
    default:
      return undefined;
  }
}

function repoName(r: Reader, body: Json): string {
  return r.string(r.object(body.repository, 'repository').full_name, 'repository.full_name');
}
