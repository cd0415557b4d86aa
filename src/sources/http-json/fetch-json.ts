import type { IncomingMessage } from 'node:http';
import { type OutboundPolicy, outboundRequest } from '../../net/index.js';
import { isAppError, sourceError, unreachable } from '../errors.js';

/** The largest page body read (bytes): a runaway API must not fill the server's memory. */
export const MAX_PAGE_BYTES = 64 * 1024 * 1024;

/** A fetched page: the parsed body and the server's name. */
export interface FetchedPage {
  body: unknown;
  server: string | null;
}

async function readLimited(response: IncomingMessage): Promise<string> {
  const declared = Number(response.headers['content-length'] ?? '0');
  if (declared > MAX_PAGE_BYTES) {
    response.destroy();
    throw tooBig();
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_PAGE_BYTES) {
      response.destroy();
      throw tooBig();
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

const tooBig = () =>
  sourceError('source_response_invalid', `A page of the API is larger than ${MAX_PAGE_BYTES} bytes`);

const header = (response: IncomingMessage, name: string) => {
  const value = response.headers[name];
  return typeof value === 'string' ? value : null;
};

/**
 * GETs one page of an HTTP JSON API within `timeoutMs` (connecting and reading the whole body),
 * through the outbound policy. Redirects are refused: following one would hand the auth header
 * to wherever it points, and lead the platform to a destination the policy did not check.
 */
export async function fetchJson(
  outbound: OutboundPolicy,
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<FetchedPage> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await outboundRequest(outbound, url, {
      headers: { accept: 'application/json', ...headers },
      signal,
    });
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400) {
      response.destroy();
      throw sourceError(
        'source_response_invalid',
        `The API answered with a redirect (HTTP ${status}); redirects are not followed: register the URL it leads to`,
        { status },
      );
    }
    if (status === 401 || status === 403) {
      response.destroy();
      throw sourceError('source_auth_failed', `The API refused the credentials (HTTP ${status})`);
    }
    if (status < 200 || status >= 300) {
      response.destroy();
      throw sourceError('source_response_invalid', `The API answered HTTP ${status}`, { status });
    }
    const text = await readLimited(response);
    try {
      return { body: JSON.parse(text), server: header(response, 'server') };
    } catch {
      throw sourceError('source_response_invalid', 'The API did not answer with JSON');
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    const e = error as { code?: string; reason?: string; message?: string };
    if (signal.aborted) throw unreachable(`timeout after ${timeoutMs} ms`);
    throw unreachable(
      e.code === 'EOUTBOUND' ? `outbound policy: ${e.reason}` : `${e.code ?? 'error'}: ${e.message ?? ''}`,
    );
  }
}
