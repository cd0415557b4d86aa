import type { OutboundPolicy } from '../../net/index.js';
import { sourceError } from '../errors.js';
import type { HttpJsonConfig, SourceSecret } from '../source-config.js';
import { fetchJson } from './fetch-json.js';
import { valueAtPath } from './json-path.js';

/** The records of one page, found at the configured path. */
export function recordsOf(body: unknown, path: string): Record<string, unknown>[] {
  const records = valueAtPath(body, path);
  if (!Array.isArray(records))
    throw sourceError(
      'source_response_invalid',
      `No array of records at "${path || '$'}" in the API's answer`,
    );
  return records.map((r) =>
    r !== null && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : { value: r },
  );
}

/** Server name of the first page, for the connection test. */
export interface PageInfo {
  server: string | null;
}

/**
 * The API's records, page by page, fetched only as they are pulled. Stops on a short or empty
 * page (page and offset styles) or a missing next cursor; more than `maxPages` pages is an error
 * rather than a silently truncated result.
 */
export async function* fetchPages(
  config: HttpJsonConfig,
  secret: SourceSecret,
  outbound: OutboundPolicy,
  info: PageInfo = { server: null },
): AsyncGenerator<Record<string, unknown>[]> {
  const headers: Record<string, string> = secret.authHeaderValue
    ? { [config.authHeaderName]: secret.authHeaderValue }
    : {};
  const paging = config.paging;
  let cursor: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= config.maxPages)
      throw sourceError(
        'source_response_invalid',
        `The API has more than ${config.maxPages} pages; raise maxPages`,
      );
    const url = new URL(config.url);
    if (paging.style === 'page') {
      url.searchParams.set(paging.pageParam, String(paging.firstPage + page));
      if (paging.sizeParam) url.searchParams.set(paging.sizeParam, String(paging.pageSize));
    } else if (paging.style === 'offset') {
      url.searchParams.set(paging.offsetParam, String(page * paging.pageSize));
      url.searchParams.set(paging.limitParam, String(paging.pageSize));
    } else if (paging.style === 'cursor' && cursor !== undefined) {
      url.searchParams.set(paging.cursorParam, cursor);
    }
    const fetched = await fetchJson(outbound, url, headers, config.timeoutMs);
    if (page === 0) info.server = fetched.server;
    const records = recordsOf(fetched.body, config.recordsPath);
    yield records;
    if (paging.style === 'none') return;
    if (paging.style === 'cursor') {
      const next = valueAtPath(fetched.body, paging.nextCursorPath);
      if (next === null || next === undefined || next === '' || records.length === 0) return;
      cursor = String(next);
    } else if (records.length < paging.pageSize) {
      return;
    }
  }
}
