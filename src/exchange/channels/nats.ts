// The NATS JetStream push channel (issue 16): each event of a subscription is a message on
// `huitong.<org>.<resource>` in its consumer organisation's stream `HUITONG_<ORG>` (nats-stream.ts),
// with the event id as JetStream message id, so that a batch sent again (after a failed attempt
// or a crash) is recognised by the server within the stream's duplicate window and stored once.
//
// Order: a batch's messages are published in order on one connection, so JetStream stores them in
// that order. Should one of them fail while later ones are stored (rare: the acks of a batch fail
// together when the server or the connection goes), the retry stores only the missing ones, after
// the later ones; consumers order by the body's `seq` and de-duplicate by `eventId`, as on pull.
//
// No outbound policy check: the NATS URL is the operator's configuration
// (HUITONG_SUBSCRIPTION_NATS_URL, like HUITONG_WARNING_NATS_URL), never an address a user supplied.
import { connect, ErrorCode, headers, type JetStreamManager, type NatsConnection } from 'nats';
import { type BatchPublisher, batchPublisher } from './nats-publish.js';
import { apiCode, ensureStream, eventSubject, type StreamLimits } from './nats-stream.js';
import { type ChannelDriver, ChannelError, type ChannelTarget, type PushBatch } from './types.js';

export { eventSubject, orgSubjects, streamName, subjectToken } from './nats-stream.js';

/** Options of the NATS channel. */
export interface NatsChannelOptions {
  /** The server (HUITONG_SUBSCRIPTION_NATS_URL). */
  url: string;
  /** An open connection to use instead of connecting to `url`; `close` leaves it open. */
  connection?: NatsConnection;
  /** How long the first connection may take (ms; default 2,000). */
  connectTimeoutMs?: number;
  /** How long a publish waits for its JetStream ack, and a stream request for its answer (ms; default 5,000). */
  ackTimeoutMs?: number;
  /** Limits of a stream the platform creates (default: 7 days kept, 2 minutes of de-duplication). */
  stream?: Partial<StreamLimits>;
}

/**
 * The channel of a process: one connection shared by all subscriptions' drivers. It is itself a
 * driver (each batch says its subscription) and hands out per-subscription drivers whose
 * `close` does nothing; `close` on the channel drains the connection.
 */
export interface NatsChannel extends ChannelDriver {
  /** A driver for one subscription, on the shared connection (each batch's own target names it). */
  driverFor(target: ChannelTarget): ChannelDriver;
  /** Messages stored, and repeats the server recognised by message id (since the channel opened). */
  readonly counts: { stored: number; duplicates: number };
}

interface Session {
  nc: NatsConnection;
  publisher: BatchPublisher;
  jsm: JetStreamManager;
  /** The organisations whose stream is known to exist on this connection. */
  streams: Map<string, Promise<string>>;
}

/**
 * Opens the NATS JetStream channel. The connection is made at the first batch and reconnects by
 * itself; a failed connect is tried again at the next batch. Failures are ChannelErrors:
 * `nats_unavailable` and `nats_timeout` are retryable; `nats_stream_conflict` (the stream cannot
 * be created, e.g. another stream holds its subjects) and `nats_payload_too_large` are not.
 */
export function natsChannel(options: NatsChannelOptions): NatsChannel {
  const ackTimeout = options.ackTimeoutMs ?? 5_000;
  const limits: StreamLimits = {
    maxAgeMs: options.stream?.maxAgeMs ?? 7 * 24 * 3600_000,
    duplicateWindowMs: options.stream?.duplicateWindowMs ?? 120_000,
  };
  const counts = { stored: 0, duplicates: 0 };
  let session: Promise<Session> | undefined;

  const connectSession = async (): Promise<Session> => {
    const nc =
      options.connection ??
      (await connect({
        servers: options.url,
        name: 'huitong-subscriptions',
        timeout: options.connectTimeoutMs ?? 2_000,
        maxReconnectAttempts: -1,
        // A stack trace captured per request would cost more than the request itself.
        noAsyncTraces: true,
      }));
    const jsm = await nc.jetstreamManager({ timeout: ackTimeout });
    return { nc, publisher: batchPublisher(nc), jsm, streams: new Map() };
  };
  const open = (): Promise<Session> => {
    if (session) return session;
    const opening = connectSession();
    session = opening;
    // A failed connect, or a connection closed later (by its owner when given), is opened afresh
    // at the next batch.
    const forget = () => {
      if (session === opening) session = undefined;
    };
    opening.then((s) => s.nc.closed().then(forget), forget);
    return opening;
  };

  const streamOf = (s: Session, orgId: string): Promise<string> => {
    let ensured = s.streams.get(orgId);
    if (!ensured) {
      ensured = ensureStream(s.jsm, orgId, limits);
      s.streams.set(orgId, ensured);
      ensured.catch(() => s.streams.delete(orgId));
    }
    return ensured;
  };

  const deliver = async (batch: PushBatch): Promise<void> => {
    if (!batch.events.length) return;
    const { subscriptionId, orgId, resourceCode } = batch.target;
    let s: Session | undefined;
    try {
      s = await open();
      const stream = await streamOf(s, orgId);
      const subject = eventSubject(orgId, resourceCode);
      const encoder = new TextEncoder();
      // All publishes go out at once, in order on the one connection (JetStream stores them in
      // that order); then every ack is awaited. The message id (`Nats-Msg-Id`) is the event id.
      const messages = batch.events.map((event) => {
        const h = headers();
        h.set('Nats-Msg-Id', event.eventId);
        h.set('Huitong-Subscription', subscriptionId);
        h.set('Huitong-Event-Id', event.eventId);
        const { seq, eventId, op, key, keyId, row, createdAt } = event;
        const body = { subscriptionId, resourceCode, seq, eventId, op, key, keyId, row, createdAt };
        return { subject, data: encoder.encode(JSON.stringify(body)), headers: h };
      });
      for (const ack of await s.publisher.publishAll(messages, ackTimeout)) {
        if (ack.stream !== stream)
          throw new ChannelError(
            'nats_stream_conflict',
            `stored in stream ${ack.stream}, not ${stream}`,
            false,
          );
        if (ack.duplicate) counts.duplicates++;
        else counts.stored++;
      }
    } catch (error) {
      // No responders to a publish: the stream is gone (deleted by an operator) or JetStream is
      // down; look for the stream again at the next attempt.
      if (s && isCode(error, ErrorCode.NoResponders)) s.streams.delete(orgId);
      throw channelError(error);
    }
  };

  const channel: NatsChannel = {
    counts,
    deliver,
    driverFor: () => ({ deliver, close: async () => {} }),
    async close() {
      const current = await session?.catch(() => undefined);
      session = undefined;
      if (!current) return;
      if (options.connection) current.publisher.close();
      else await current.nc.drain().catch(() => current.nc.close());
    },
  };
  return channel;
}

/** JetStream's "message size exceeds maximum allowed" (a stream's max_msg_size). */
const MESSAGE_TOO_LARGE = 10054;

function isCode(error: unknown, code: string): boolean {
  return (error as { code?: unknown } | null)?.code === code;
}

/** A failure as the dispatcher needs it: a ChannelError saying whether a retry may succeed. */
function channelError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (isCode(error, ErrorCode.Timeout) || isCode(error, ErrorCode.ConnectionTimeout))
    return new ChannelError('nats_timeout', `NATS did not answer in time: ${message}`, true);
  if (isCode(error, ErrorCode.MaxPayloadExceeded))
    return new ChannelError(
      'nats_payload_too_large',
      `an event exceeds the server's maximum message size`,
      false,
    );
  if (apiCode(error) === MESSAGE_TOO_LARGE)
    return new ChannelError(
      'nats_payload_too_large',
      `an event exceeds the stream's maximum message size`,
      false,
    );
  if (apiCode(error) !== undefined)
    return new ChannelError('nats_unavailable', `JetStream refused the request: ${message}`, true);
  return new ChannelError('nats_unavailable', `NATS is unavailable: ${message}`, true);
}
