import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { AuditLog } from '../audit/index.js';
import { LoginLockedError, type ScramCandidate, wireActor } from '../identity/index.js';
import { auditActorOf } from '../query/index.js';
import type { Store } from '../store/index.js';

type Credential = { subject: ScramCandidate['subject']; subjectId: string };
const nobody = { kind: 'system' as const, id: 'anonymous', orgId: null };

/**
 * The audit entries of a wire login, as POST /auth/login writes them: `auth.login` for the
 * user or application that signed in, `auth.login_failed` (the name tried) or `auth.locked`.
 */
export function wireLoginAudit(audit: AuditLog, store: Store, ip: string) {
  const append = (
    type: string,
    actor: Parameters<AuditLog['append']>[0]['actor'],
    data: Record<string, string | number>,
  ) => audit.append({ type, actor, requestId: randomUUID(), data: { ip, via: 'pgwire', ...data } });
  return {
    async succeeded(credential: Credential): Promise<void> {
      const actor = await wireActor(store.db, credential.subject, credential.subjectId);
      await append('auth.login', auditActorOf(actor), {});
    },
    async failed(user: string, error?: unknown): Promise<void> {
      if (error instanceof LoginLockedError)
        await append('auth.locked', nobody, {
          username: user,
          scope: error.scope,
          retryAfterSeconds: error.retryAfterSeconds,
        });
      else await append('auth.login_failed', nobody, { username: user });
    },
  };
}

// The code pg-gateway gives a failed SCRAM proof, and PostgreSQL's own for it (clients tell a
// wrong password by 28P01). Both five bytes: the message keeps its length.
const GATEWAY_CODE = Buffer.from('C28000\0');
const POSTGRES_CODE = Buffer.from('C28P01\0');
const FAILED = Buffer.from('password authentication failed');

function withPostgresCode<T>(chunk: T): T {
  if (!(chunk instanceof Uint8Array)) return chunk;
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const at = bytes[0] === 0x45 && bytes.includes(FAILED) ? bytes.indexOf(GATEWAY_CODE) : -1;
  if (at < 0) return chunk;
  const fixed = Buffer.from(bytes);
  POSTGRES_CODE.copy(fixed, at);
  return fixed as T;
}

/**
 * Makes a connection send 28P01 (invalid_password) where pg-gateway sends 28000 for a failed
 * SCRAM exchange: PostgreSQL's code, which clients and drivers test for. On the socket itself,
 * and on the TLS stream once the connection is upgraded.
 */
export const invalidPasswordCode = {
  onSocket(socket: Socket): void {
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) =>
      write(withPostgresCode(chunk), ...rest)) as Socket['write'];
  },
  onStream(duplex: { writable: WritableStream<Uint8Array> }): void {
    const writer = duplex.writable.getWriter();
    duplex.writable = new WritableStream({
      write: (chunk) => writer.write(withPostgresCode(chunk)),
      close: () => writer.close(),
      abort: (reason) => writer.abort(reason),
    });
  },
};
