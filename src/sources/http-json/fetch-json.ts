import { isAppError, sourceError } from '../errors.js';

/** The largest page body read (bytes): a runaway API must not fill the server's memory. */
export const MAX_PAGE_BYTES = 64 * 1024 * 1024;

/** A fetched page: the parsed body and the server's name. */
export interface FetchedPage {
  body: unknown;
  server: string | null;
}

async function readLimited(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_PAGE_BYTES) throw tooBig();
  const reader = response.body?.getReader();
  if (!reader) return '';
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_PAGE_BYTES) {
      await reader.cancel();
      throw tooBig();
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString('utf8');
}

const tooBig = () =>
  sourceError('source_response_invalid', `A page of the API is larger than ${MAX_PAGE_BYTES} bytes`);

/**
 * GETs one page of an HTTP JSON API within `timeoutMs` (connecting and reading the whole body).
 * Redirects are refused: following one would hand the auth header to wherever it points.
 */
export async function fetchJson(
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<FetchedPage> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json', ...headers },
      redirect: 'error',
      signal,
    });
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw sourceError('source_auth_failed', `The API refused the credentials (HTTP ${response.status})`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw sourceError('source_response_invalid', `The API answered HTTP ${response.status}`, {
        status: response.status,
      });
    }
    const text = await readLimited(response);
    try {
      return { body: JSON.parse(text), server: response.headers.get('server') };
    } catch {
      throw sourceError('source_response_invalid', 'The API did not answer with JSON');
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    if (signal.aborted)
      throw sourceError('source_timeout', `The API did not answer within ${timeoutMs} ms`, {
        reason: 'timeout',
      });
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw sourceError('source_unreachable', 'The API cannot be reached', { reason: cause ?? 'network' });
  }
}
