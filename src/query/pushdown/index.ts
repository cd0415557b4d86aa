import { aggregateFunctionNames } from '../duckdb-parser.js';
import type { SecureView } from '../secure-view.js';
import { extractPushdown } from './extract.js';
import type { ViewPushdown } from './predicate.js';

export { extractPushdown } from './extract.js';
export type { PushedPredicate, ViewPushdown } from './predicate.js';
export { pushedConditions } from './render.js';

/**
 * What each view's read may leave out for a consumer's SELECT (its serialised `statement`),
 * or nothing when pushdown is switched off (HUITONG_QUERY_PUSHDOWN=off).
 */
export async function planPushdown(
  enabled: boolean,
  statement: unknown,
  views: Map<string, SecureView>,
): Promise<Map<string, ViewPushdown>> {
  if (!enabled) return new Map();
  return extractPushdown(statement, views, await aggregateFunctionNames());
}
