// The webhook channel: each batch is one HTTP POST of its released body to the consumer's
// endpoint, signed as Standard Webhooks (https://www.standardwebhooks.com) so the receiver can
// check it came from the platform and was not altered. The connection goes through net/'s
// outbound policy; a redirect is not followed (it could lead past that policy).
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { BadRequestError } from '../../errors/index.js';
import { type OutboundPolicy, outboundRequest } from '../../net/index.js';
import { type ChannelDriver, ChannelError, type PushBatch } from './types.js';

/** How long a send may take, connecting through reading the answer's status (ms). */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** The most of an answer's body read (bytes); the rest is dropped with the connection. */
const MAX_ANSWER_BYTES = 64 * 1024;

const USER_AGENT = 'Huitong-Webhooks/1';

/** The longest webhook URL accepted (characters). */
export const MAX_WEBHOOK_URL_LENGTH = 2000;

/**
 * Checks a webhook URL when a subscription is created: http or https, a host, no credentials
 * (the signature authenticates the platform; a password in the URL would sit in every log line
 * that shows it), at most 2,000 characters; 400 `webhook_url_invalid` otherwise. An IP address
 * the outbound policy refuses is 400 `destination_not_allowed` (a host name is checked when
 * sending, as its addresses can change, like sources' hosts).
 */
export function validateWebhookUrl(policy: OutboundPolicy, url: string): void {
  const invalid = (why: string) =>
    new BadRequestError('webhook_url_invalid', `The webhook URL ${why}`, { field: 'url' });
  if (typeof url !== 'string' || url.trim() === '') throw invalid('is missing');
  if (url.length > MAX_WEBHOOK_URL_LENGTH)
    throw invalid(`is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw invalid('must be an http:// or https:// URL');
  if (parsed.hostname === '') throw invalid('has no host');
  if (parsed.username !== '' || parsed.password !== '')
    throw invalid('must not carry a user name or password: each request is signed instead');
  const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  const refused = policy.refusesLiteral(parsed.hostname, port);
  if (refused === null) return;
  const error = new BadRequestError(
    'destination_not_allowed',
    'The platform does not connect to loopback, private, link-local or cloud metadata addresses unless its operator allows them (HUITONG_OUTBOUND_ALLOW)',
    { field: 'url' },
  );
  error.logDetails = { reason: refused };
  throw error;
}

/** A new signing secret in the form Standard Webhooks libraries read: `whsec_` + base64 of 24 bytes. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * The batch's `webhook-id`: the same for every attempt of the same batch (receivers drop a
 * message whose id they have seen), different for any other batch. Built from the subscription
 * and the batch's first and last event ids and count; an event id is already unique to its
 * subscription and change, so a batch re-sent after a crash carries the same id.
 */
export function webhookMessageId(batch: PushBatch): string {
  const { events } = batch;
  const identity =
    events.length > 0
      ? `${batch.target.subscriptionId}\n${events[0]?.eventId}\n${events.at(-1)?.eventId}\n${events.length}`
      : `${batch.target.subscriptionId}\nbody\n${createHash('sha256').update(batch.body).digest('hex')}`;
  return `msg_${createHash('sha256').update(identity).digest('hex').slice(0, 32)}`;
}

/** A ChannelError keeping the underlying error as `cause`, for the server log only. */
function failure(code: string, message: string, retryable: boolean, cause?: unknown): ChannelError {
  const error = new ChannelError(code, message, retryable);
  if (cause !== undefined) Object.assign(error, { cause });
  return error;
}

/** What an HTTP status means for the batch: null for delivered, else the error to throw. */
function statusFailure(status: number): ChannelError | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400)
    return failure(
      'webhook_redirect',
      `The endpoint answered with a redirect (HTTP ${status}); redirects are not followed`,
      false,
    );
  // 408 and 429 ask to come back later; a 5xx is the endpoint's own trouble. Any other 4xx
  // (401, 404, 413 …) will answer the same until the consumer changes something.
  const retryable = status === 408 || status === 429 || status >= 500;
  return failure(`webhook_status_${status}`, `The endpoint answered HTTP ${status}`, retryable);
}

/** Why a connection failed, in words a consumer can act on (never the address it resolved to). */
function unreachableMessage(code: string | undefined): string {
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return "The endpoint's host name does not resolve";
  if (code === 'ECONNREFUSED') return 'The endpoint refused the connection';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'The endpoint closed the connection before answering';
  if (code && /CERT|TLS|SSL/.test(code)) return "The endpoint's TLS certificate was not accepted";
  return 'The endpoint cannot be reached';
}

/** Reads and drops the answer's body, up to MAX_ANSWER_BYTES: it is neither kept nor logged. */
async function discard(answer: IncomingMessage): Promise<void> {
  let size = 0;
  try {
    for await (const chunk of answer as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > MAX_ANSWER_BYTES) break;
    }
  } catch {
    // The status already decided the outcome; a body cut short changes nothing.
  }
  answer.destroy();
}

/**
 * The webhook driver of one subscription: POSTs each batch's body as released (not serialised
 * again: its SHA-256 is in the release entry), signed with `secret`, within `timeoutMs` (10 s).
 * 2xx delivers; 408, 429, 5xx, a timeout or a failed connection are retryable; a destination the
 * outbound policy refuses, a redirect and any other 4xx are not.
 */
export function webhookDriver(options: {
  policy: OutboundPolicy;
  url: string;
  secret: string;
  timeoutMs?: number;
}): ChannelDriver {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  // Closing aborts the sends under way, so a shutdown does not wait out their timeouts.
  const closing = new AbortController();
  // A bad URL or secret (stored before validation existed, say) fails each send, not the caller.
  let setup: { url: URL; signer: Webhook } | ChannelError;
  try {
    const url = new URL(options.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(url.protocol);
    setup = { url, signer: new Webhook(options.secret) };
  } catch (error) {
    setup = failure(
      'webhook_config_invalid',
      "The subscription's webhook URL or secret is not valid",
      false,
      error,
    );
  }

  return {
    async deliver(batch) {
      if (setup instanceof ChannelError) throw setup;
      if (closing.signal.aborted) throw failure('webhook_closed', 'The channel is closed', true);
      const { url, signer } = setup;
      const id = webhookMessageId(batch);
      // Signed anew for each attempt: receivers refuse a timestamp more than 5 minutes old.
      const now = new Date();
      const headers = {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(batch.body)),
        'user-agent': USER_AGENT,
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signer.sign(id, now, batch.body),
      };
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = AbortSignal.any([timeout, closing.signal]);
      let answer: IncomingMessage;
      try {
        answer = await outboundRequest(options.policy, url, {
          method: 'POST',
          headers,
          body: batch.body,
          signal,
        });
      } catch (error) {
        if (timeout.aborted)
          throw failure('webhook_timeout', `The endpoint did not answer within ${timeoutMs} ms`, true, error);
        if (closing.signal.aborted)
          throw failure('webhook_closed', 'The channel was closed during the send', true, error);
        const code = (error as { code?: unknown }).code;
        if (code === 'EOUTBOUND')
          throw failure(
            'webhook_destination_not_allowed',
            'The platform does not connect to loopback, private, link-local or cloud metadata addresses unless its operator allows them',
            false,
            error,
          );
        throw failure(
          'webhook_unreachable',
          unreachableMessage(typeof code === 'string' ? code : undefined),
          true,
          error,
        );
      }
      await discard(answer);
      const failed = statusFailure(answer.statusCode ?? 0);
      if (failed) throw failed;
    },
    async close() {
      closing.abort();
    },
  };
}
