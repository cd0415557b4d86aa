import { randomInt } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { BackendError } from 'pg-gateway';
import { fromNodeSocket } from 'pg-gateway/node';
import {
  admitWireLogin,
  applicationSalt,
  authenticateWirePassword,
  type LoginThrottleSettings,
  matchScramProof,
  type ScramCandidate,
  scramCandidates,
  scramVerifier,
  settleWireLogin,
} from '../identity/index.js';
import { wireError } from './errors.js';
import { invalidPasswordCode, wireLoginAudit } from './login-audit.js';
import * as msg from './protocol.js';
import { CloseConnection, Session, type SessionContext } from './session.js';
import { STARTUP_PARAMETERS, settingValue } from './settings.js';

/** The listener's settings. */
export interface PgWireOptions extends SessionContext {
  port: number;
  host?: string;
  /** PEM certificate and key: TLS is then required of every client. */
  tls?: { cert: Buffer; key: Buffer };
  throttle: LoginThrottleSettings;
}

/** A running listener. */
export interface PgWireServer {
  port: number;
  close(): Promise<void>;
}

const CANCEL_CODE = 80877102;
const arrayBuffer = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
type Credential = { subject: ScramCandidate['subject']; subjectId: string };

const fatal = (error: unknown) => {
  const e = wireError(error);
  return new BackendError({
    severity: 'FATAL',
    code: e.code === '28P01' ? '28P01' : e.code,
    message: e.message,
  });
};

/**
 * Serves the PostgreSQL wire protocol (pg-gateway frames it, negotiates TLS and runs the
 * password exchanges): SCRAM-SHA-256 for the passwords and keys that have a verifier, a
 * cleartext password only inside TLS, then the session's queries, all through query/.
 */
export async function startPgWire(options: PgWireOptions): Promise<PgWireServer> {
  const sessions = new Map<string, Session>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    void serve(socket).catch(() => socket.destroy());
  });

  async function serve(socket: Socket) {
    const ip = socket.remoteAddress ?? '';
    const pid = randomInt(1, 2 ** 31 - 1);
    const secret = randomInt(1, 2 ** 31 - 1);
    let credential: Credential | undefined;
    let session: Session | undefined;
    let candidates: ScramCandidate[] = [];
    const login = (user: string) => ({ user, ip, throttle: options.throttle });
    const db = options.store.db;
    const audit = wireLoginAudit(options.audit, options.store, ip);
    let user = '';
    invalidPasswordCode.onSocket(socket);
    const connection = await fromNodeSocket(socket, {
      serverVersion: settingValue('server_version'),
      tls: options.tls
        ? { cert: arrayBuffer(options.tls.cert), key: arrayBuffer(options.tls.key) }
        : undefined,
      auth: { method: 'trust' },
      async onTlsUpgrade() {
        invalidPasswordCode.onStream(connection.duplex as { writable: WritableStream<Uint8Array> });
      },
      async onStartup(state) {
        user = state.clientParams?.user ?? '';
        candidates = await scramCandidates(db, user);
        // Cleartext only inside TLS, and only for a credential that has no verifier yet.
        if (state.tlsInfo && candidates.length === 0) {
          connection.options.auth = {
            method: 'password',
            getClearTextPassword: () => '',
            validateCredentials: async ({ password }: { password: string }) => {
              try {
                const actor = await authenticateWirePassword(db, login(user), password);
                credential =
                  actor.kind === 'application'
                    ? { subject: 'api_key', subjectId: actor.keyId }
                    : { subject: 'user', subjectId: actor.userId };
                return true;
              } catch (error) {
                await audit.failed(user, error);
                const e = wireError(error);
                if (e.code === '28P01') return false;
                throw fatal(error);
              }
            },
          };
          return;
        }
        // No verifier: a salt all the same (the same for the same name), so that the answer does
        // not say whether the name exists; the proof then never matches.
        const decoy = scramVerifier(String(Math.random()), applicationSalt(user));
        const first = candidates[0] ?? { ...decoy, subject: 'user' as const, subjectId: '' };
        const data = {
          salt: first.salt,
          iterations: first.iterations,
          storedKey: first.storedKey,
          serverKey: first.serverKey,
        };
        connection.options.auth = {
          method: 'scram-sha-256',
          getScramSha256Data: async () => {
            await admitWireLogin(db, login(user)).catch(async (error: unknown) => {
              await audit.failed(user, error);
              throw fatal(error);
            });
            return data;
          },
          validateCredentials: async ({
            authMessage,
            clientProof,
          }: {
            authMessage: string;
            clientProof: string;
          }) => {
            const found = matchScramProof(
              candidates.filter((c) => c.salt === data.salt),
              authMessage,
              clientProof,
            );
            if (!found) {
              await audit.failed(user);
              return false;
            }
            // The server's signature is made with the key the client proved it holds.
            data.serverKey = found.serverKey;
            await settleWireLogin(db, login(user));
            credential = { subject: found.subject, subjectId: found.subjectId };
            return true;
          },
        };
      },
      async onAuthenticated() {
        await audit.succeeded(credential!);
        session = new Session(options, credential!, ip);
        sessions.set(`${pid}:${secret}`, session);
      },
      async onMessage(data, state) {
        if (!state.hasStarted && data.byteLength === 16) {
          const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
          if (view.readInt32BE(4) === CANCEL_CODE) {
            sessions.get(`${view.readInt32BE(8)}:${view.readInt32BE(12)}`)?.cancel();
            setImmediate(() => socket.destroy());
            return new Uint8Array(0);
          }
        }
        if (!state.isAuthenticated || state.step !== 'ReadyForQuery' || !session) return undefined;
        const type = String.fromCharCode(data[0]!);
        if (type === 'X') return undefined;
        const body = Buffer.from(data.buffer, data.byteOffset + 5, data.byteLength - 5);
        return guard(session.handle(type, body));
      },
    });
    // PostgreSQL reports its settings and the cancel key right after AuthenticationOk.
    const ok = connection.createAuthenticationOk.bind(connection);
    connection.createAuthenticationOk = () =>
      Buffer.concat([
        ok(),
        ...STARTUP_PARAMETERS.filter((p) => p !== 'server_version').map((p) =>
          msg.parameterStatus(p, settingValue(p)),
        ),
        msg.backendKeyData(pid, secret),
      ]);
    socket.on('close', () => {
      sessions.delete(`${pid}:${secret}`);
      session?.close();
    });

    // A revoked key or a disabled user: its FATAL error, then the connection ends. A message
    // with no answer (Flush, or one skipped after an extended-protocol error until Sync) still
    // yields an empty chunk: pg-gateway answers an unhandled message with an error of its own.
    async function* guard(messages: AsyncGenerator<Buffer>) {
      let answered = false;
      try {
        for await (const message of messages) {
          answered = true;
          yield message;
        }
        if (!answered) yield Buffer.alloc(0);
      } catch (error) {
        const e =
          error instanceof CloseConnection
            ? JSON.parse(error.message)
            : { ...wireError(error), severity: 'FATAL' as const };
        yield msg.errorResponse(e);
        setImmediate(() => socket.end());
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : options.port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sessions.values()) s.close();
    },
  };
}
