import { Readable } from 'node:stream';

/** How the CLI signs in to a running server: an API key, or a user whose password is in the environment. */
export interface RemoteCredentials {
  url: string;
  key?: string;
  user?: string;
  password?: string;
}

/**
 * Request headers for `credentials`: a Bearer key, or the session cookie of a fresh login with
 * its CSRF token (which writes need).
 */
export async function authHeaders(credentials: RemoteCredentials): Promise<Record<string, string>> {
  if (credentials.key) return { authorization: `Bearer ${credentials.key}` };
  if (!credentials.user)
    throw new Error('name a user with --user (password in HUITONG_PASSWORD) or a key in HUITONG_API_KEY');
  if (!credentials.password) throw new Error('set HUITONG_PASSWORD to the password of --user');
  const response = await fetch(new URL('/api/v1/auth/login', credentials.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: credentials.user, password: credentials.password }),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new Error(`signing in as ${credentials.user} failed: ${await problem(response)}`);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('ht_session='));
  if (!cookie) throw new Error('the server set no session cookie');
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: cookie.split(';')[0]!, 'x-csrf-token': csrfToken };
}

/** The platform's error of a refused call, as one line. */
export async function problem(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as
    | { error?: { code?: string; message?: string } }
    | undefined;
  return `HTTP ${response.status}${body?.error ? ` ${body.error.code}: ${body.error.message}` : ''}`;
}

/**
 * The whole audit log of a running server (GET /api/v1/audit/export.ndjson, auditors), as the
 * NDJSON stream that `audit export` writes and `audit verify --file` reads: for a server that
 * holds its embedded database, whose directory no second process may open.
 */
export async function fetchAuditExport(credentials: RemoteCredentials): Promise<Readable> {
  const headers = await authHeaders(credentials);
  const response = await fetch(new URL('/api/v1/audit/export.ndjson', credentials.url), { headers });
  if (!response.ok || !response.body)
    throw new Error(`GET /api/v1/audit/export.ndjson: ${await problem(response)}`);
  return Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
}
