// The canary world's webhook endpoint: a real HTTP server on 127.0.0.1 that keeps every request a
// push subscription sends (its headers and raw body), so the hunt searches what left by push too.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A receiver that answers 204 to everything and keeps each request as text. */
export interface PushReceiver {
  url: string;
  /** Each request: its headers and its body, as the hunt searches them. */
  received: string[];
  /** The events of every request, in arrival order. */
  events(): unknown[];
  close(): Promise<void>;
}

/** Starts a receiver on a free port of 127.0.0.1. */
export async function openPushReceiver(): Promise<PushReceiver> {
  const received: string[] = [];
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      bodies.push(body.toString('utf8'));
      received.push(`${JSON.stringify(req.headers)}\n${body.toString('utf8')}\n${body.toString('latin1')}`);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/canary-hook`,
    received,
    events: () => bodies.flatMap((b) => (JSON.parse(b) as { events: unknown[] }).events),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
