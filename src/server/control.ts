import { chmod, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';

/**
 * The server's local control socket, `<data dir>/huitong.sock` (mode 0600): how `huitong backup`
 * reaches a running server that holds PGlite (a single-process database the CLI may not open
 * beside it). Whoever may connect may read the data directory anyway; nothing of it is on the
 * public port.
 */
export const CONTROL_SOCKET = 'huitong.sock';

const RequestSchema = z.object({ op: z.literal('backup'), file: z.string().min(1) });
/** A request over the control socket. */
export type ControlRequest = z.infer<typeof RequestSchema>;

/** What the server does for each request. */
export type ControlHandler = (request: ControlRequest) => Promise<unknown>;

/** Listens on the data directory's control socket; returns a function that closes it. */
export async function listenControl(dataDir: string, handle: ControlHandler): Promise<() => Promise<void>> {
  const path = join(dataDir, CONTROL_SOCKET);
  // This process holds the data directory's lock: a socket file left there is a dead server's.
  await rm(path, { force: true });
  const server: Server = createServer((socket) => {
    const lines = createInterface({ input: socket });
    lines.once('line', async (line) => {
      let answer: unknown;
      try {
        answer = { ok: true, result: await handle(RequestSchema.parse(JSON.parse(line))) };
      } catch (error) {
        answer = { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
      socket.end(`${JSON.stringify(answer)}\n`);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      void rm(path, { force: true });
    });
}

/** Sends one request to the server that holds `dataDir` and returns its result; throws its error. */
export function askServer(dataDir: string, request: ControlRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(join(dataDir, CONTROL_SOCKET));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      text += chunk;
    });
    socket.on('error', (error) =>
      reject(new Error(`the running server did not answer on ${CONTROL_SOCKET}: ${error.message}`)),
    );
    socket.on('end', () => {
      try {
        const answer = JSON.parse(text) as { ok: boolean; result?: unknown; error?: string };
        if (answer.ok) resolve(answer.result);
        else reject(new Error(answer.error));
      } catch {
        reject(new Error('the running server closed the control socket without an answer'));
      }
    });
    socket.write(`${JSON.stringify(request)}\n`);
  });
}
