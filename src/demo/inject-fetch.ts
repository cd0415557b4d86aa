import type { FetchLike } from './client.js';

/** What the adapter needs of an in-process HTTP app: Fastify's `inject`, structurally. */
export interface Injectable {
  inject(options: {
    method: string;
    url: string;
    headers: Record<string, string>;
    payload?: Buffer;
  }): PromiseLike<{ statusCode: number; headers: Record<string, unknown>; rawPayload: Buffer }>;
}

/**
 * A `fetch` over an in-process app: every request goes through the same routes, hooks and
 * schemas as one over the network, without opening a port (used while the server starts).
 */
export function injectFetch(app: Injectable): FetchLike {
  return async (url, init = {}) => {
    const request = new Request(url, init);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const body = init.body === undefined ? undefined : Buffer.from(await request.arrayBuffer());
    const parsed = new URL(url);
    const response = await app.inject({
      method: request.method,
      url: parsed.pathname + parsed.search,
      headers,
      payload: body,
    });
    const out = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      for (const v of [value].flat()) out.append(name, String(v));
    }
    const empty = response.statusCode === 204 || response.statusCode === 304;
    return new Response(empty ? null : new Uint8Array(response.rawPayload), {
      status: response.statusCode,
      headers: out,
    });
  };
}
