import { authHeaders, problem, type RemoteCredentials } from './remote-audit.js';

/** A JSON client of a running server's API, signed in once (a user's session, or a key). */
export interface RemoteApi {
  call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T>;
}

/** Signs in to the server of `credentials`; each call then answers its JSON or throws the platform's error. */
export async function remoteApi(credentials: RemoteCredentials): Promise<RemoteApi> {
  const headers = await authHeaders(credentials);
  return {
    async call<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
      const response = await fetch(new URL(path, credentials.url), {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
      if (!response.ok) throw new Error(`${method} ${path.split('?')[0]}: ${await problem(response)}`);
      return (await response.json()) as T;
    },
  };
}
