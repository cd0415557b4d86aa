// Publishing a batch to JetStream with one ack subscription and one timer per batch.
//
// `js.publish` makes each message a request of its own (a timer, a promise, a generator, an
// error captured for its stack): at a few hundred messages per batch that costs more than the
// server's work. Here each message carries a reply subject under one inbox the connection
// subscribes to once, and the batch waits for its acks together: measured on the development
// machine, two to three times the throughput of `js.publish`.
import { createInbox, ErrorCode, type Msg, type MsgHdrs, type NatsConnection, NatsError } from 'nats';

/** A message to store: its subject, bytes and headers (`Nats-Msg-Id` among them for de-duplication). */
export interface Publication {
  subject: string;
  data: Uint8Array;
  headers: MsgHdrs;
}

/** JetStream's answer to one publication. */
export interface PubAck {
  stream: string;
  seq: number;
  duplicate: boolean;
}

/** Publishes batches on one connection and waits for their acks. */
export interface BatchPublisher {
  /**
   * Publishes the messages in order, then resolves with their acks in the same order once all are
   * in. Rejects with a NatsError: the first failure in order (`503` no responders, or a JetStream
   * API error with `api_error`), or `TIMEOUT` when some ack has not come within `timeoutMs`.
   */
  publishAll(messages: Publication[], timeoutMs: number): Promise<PubAck[]>;
  close(): void;
}

type Answer = PubAck | NatsError;

/** A publisher whose acks come to one inbox subscription of `nc`. */
export function batchPublisher(nc: NatsConnection): BatchPublisher {
  const inbox = createInbox();
  const waiting = new Map<string, (answer: Answer) => void>();
  let counter = 0;
  const subscription = nc.subscribe(`${inbox}.*`, {
    callback: (error, msg) => {
      if (error) return;
      const token = msg.subject.slice(inbox.length + 1);
      const done = waiting.get(token);
      if (!done) return; // an ack that came after its batch timed out
      waiting.delete(token);
      done(answer(msg));
    },
  });

  return {
    publishAll(messages, timeoutMs) {
      return new Promise<PubAck[]>((resolve, reject) => {
        const answers: Answer[] = new Array(messages.length);
        const tokens: string[] = [];
        let left = messages.length;
        const finish = (error?: unknown) => {
          clearTimeout(timer);
          for (const token of tokens) waiting.delete(token);
          if (error) return reject(error);
          const failed = answers.find((a) => a instanceof NatsError);
          if (failed) reject(failed);
          else resolve(answers as PubAck[]);
        };
        const timer = setTimeout(
          () => finish(new NatsError(`${left} of ${messages.length} acks not received`, ErrorCode.Timeout)),
          timeoutMs,
        );
        if (!left) return finish();
        try {
          messages.forEach((message, i) => {
            const token = (counter++).toString(36);
            tokens.push(token);
            waiting.set(token, (a) => {
              answers[i] = a;
              if (--left === 0) finish();
            });
            nc.publish(message.subject, message.data, {
              reply: `${inbox}.${token}`,
              headers: message.headers,
            });
          });
        } catch (error) {
          // Refused before sending (connection closed, message too large); what went out is
          // stored or not, and a retry is recognised by its message ids.
          finish(error);
        }
      });
    },
    close() {
      subscription.unsubscribe();
    },
  };
}

/** A reply as an ack or the error it says: no responders (a status 503), or a JetStream API error. */
function answer(msg: Msg): Answer {
  if (msg.data.length === 0 && msg.headers?.code === 503)
    return NatsError.errorForCode(ErrorCode.NoResponders);
  try {
    const reply = msg.json<
      Partial<PubAck> & { error?: { code: number; err_code?: number; description: string } }
    >();
    if (reply.error) {
      const error = new NatsError(reply.error.description, ErrorCode.ApiError);
      error.api_error = reply.error;
      return error;
    }
    if (!reply.stream) return NatsError.errorForCode(ErrorCode.JetStreamInvalidAck);
    return { stream: reply.stream, seq: reply.seq ?? 0, duplicate: reply.duplicate ?? false };
  } catch {
    return NatsError.errorForCode(ErrorCode.JetStreamInvalidAck);
  }
}
