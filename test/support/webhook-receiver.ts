// A real webhook receiver for the push-delivery fault tests: an HTTP server on 127.0.0.1 that
// verifies each request's Standard Webhooks signature, records what it received in arrival order,
// and answers as the test says: at once, after a delay (a slow endpoint), or not at all (held, so
// that the platform can be killed while a batch is in flight).
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One event as a webhook body carries it. */
export interface ReceivedEvent {
  seq: number;
  eventId: string;
  op: 'insert' | 'update' | 'delete';
  keyId: string;
  row: Record<string, unknown> | null;
}

/** One request the receiver took: its webhook-id, its events, and whether it was answered 2xx. */
export interface Received {
  webhookId: string;
  snapshot: boolean;
  events: ReceivedEvent[];
  answered: boolean;
}

/** The receiver and the knobs a test turns. */
export interface WebhookReceiver {
  url: string;
  /** Every request, in arrival order (a batch sent again appears again). */
  got: Received[];
  /** Every event of every request, in arrival order. */
  events(): ReceivedEvent[];
  /** Requests whose signature did not verify (must stay empty). */
  badSignatures: string[];
  state: {
    secret: string;
    /** Milliseconds to wait before answering 204. */
    delayMs: number;
    /** Keep the next requests unanswered (recorded, the response left open). */
    hold: boolean;
  };
  /** The responses left open while `hold` was set. */
  held: ServerResponse[];
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 at `path` (verifying with `state.secret` once the test sets it). */
export async function webhookReceiver(path = '/hooks/people'): Promise<WebhookReceiver> {
  const got: Received[] = [];
  const badSignatures: string[] = [];
  const held: ServerResponse[] = [];
  const state = { secret: '', delayMs: 0, hold: false };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      try {
        new Webhook(state.secret).verify(raw, headers);
      } catch (error) {
        badSignatures.push(String(error));
        res.writeHead(400).end();
        return;
      }
      const body = JSON.parse(raw) as { snapshot: boolean; events: ReceivedEvent[] };
      const entry: Received = {
        webhookId: headers['webhook-id'] as string,
        snapshot: body.snapshot,
        events: body.events,
        answered: false,
      };
      got.push(entry);
      if (state.hold) {
        held.push(res);
        return;
      }
      // The platform gave up (its timeout) before the answer: then the batch was not acknowledged.
      let gone = false;
      res.on('close', () => {
        if (!res.writableEnded) gone = true;
      });
      const answer = () => {
        if (gone || res.destroyed) return;
        entry.answered = true;
        res.writeHead(204).end();
      };
      if (state.delayMs > 0) setTimeout(answer, state.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    got,
    events: () => got.flatMap((r) => r.events),
    badSignatures,
    state,
    held,
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
