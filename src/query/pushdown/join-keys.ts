import type { HmacKey } from '../../privacy/index.js';
import type { SqlCondition } from '../../sources/index.js';
import { expression } from '../read-view.js';
import type { Sandbox } from '../sandbox.js';
import type { SecureView, ViewColumn } from '../secure-view.js';
import type { ViewPushdown } from './predicate.js';
import { comparesAlike } from './render.js';

type Dialect = 'postgres' | 'mysql' | 'duckdb';

/** Distinct keys pushed at most: bound parameters (MySQL takes 65,535) and statement size stay small. */
export const MAX_JOIN_KEYS = 10_000;
/** Rows of a loaded side scanned for its keys at most: past that its keys are unlikely to narrow. */
export const MAX_KEY_SIDE_ROWS = 100_000;

/** A view already in the sandbox: its rows, the columns it holds and the organisation providing it. */
export interface LoadedSide {
  rows: number;
  fields: string[];
  provider: string;
}

/**
 * Whether the keys of a view provided by `from` may be sent to a source of `target` (a resource's
 * source belongs to its provider): keys are that view's data, and a source's operator can log
 * what it is sent. Only within one organisation, or to the caller's own (which may read them).
 */
export function mayReceiveKeys(target: string, from: string, callerOrg: string | undefined): boolean {
  return target === from || target === callerOrg;
}

type Key = number | string;

const quoted = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * The distinct non-NULL values of a loaded table's column as the sandbox holds them (what its
 * join compares), or null when there are too many or one cannot travel exactly as a bound
 * parameter (an integer past 2^53, text with NUL).
 */
async function distinctKeys(
  box: Pick<Sandbox, 'stream'>,
  table: string,
  column: string,
  integer: boolean,
): Promise<Key[] | null> {
  const c = quoted(column);
  const result = await box.stream(
    `SELECT DISTINCT ${c} FROM ${quoted(table)} WHERE ${c} IS NOT NULL LIMIT ${MAX_JOIN_KEYS + 1}`,
  );
  const keys: Key[] = [];
  let exact = true;
  for await (const batch of result.batches)
    for (const [value] of batch) {
      const key = integer ? Number(value) : value;
      if (integer ? !Number.isSafeInteger(key) : typeof key !== 'string' || key.includes('\u0000'))
        exact = false;
      keys.push(key as Key);
    }
  return exact && keys.length <= MAX_JOIN_KEYS ? keys : null;
}

/**
 * `column IN keys` on the column's delivered (masked) expression, keys bound as typed parameters:
 * one array for PostgreSQL (`= ANY`), one placeholder each elsewhere. No key: no row can join.
 * TRUE (nothing left out) where the source might compare text otherwise than the sandbox.
 */
function keyCondition(column: ViewColumn, keys: Key[], dialect: Dialect, hmacKey: HmacKey): SqlCondition {
  return {
    build: (context) => {
      if (!comparesAlike(column, dialect, context.nativeType?.(column.source))) return 'TRUE';
      if (keys.length === 0) return 'FALSE';
      const target = `(${expression(column, dialect, hmacKey).build(context)})`;
      const integer = column.type === 'integer';
      if (dialect === 'postgres')
        return `${target} = ANY(CAST(${context.bind(keys)} AS ${integer ? 'BIGINT[]' : 'TEXT[]'}))`;
      return `${target} IN (${keys.map((k) => context.bind(k)).join(', ')})`;
    },
  };
}

/**
 * Dynamic filtering: for each equi-join of this view with a view already loaded (into `box`,
 * `loaded`), the keys that view holds as a condition of this one's read. A row whose key is not
 * among them cannot meet the inner join's conjunct, so the consumer's SQL would discard it; the
 * join itself still runs in the sandbox over what was loaded. Only for a source that runs SQL, and
 * only keys its operator may see (`mayReceiveKeys`; `callerOrg`: the caller's organisation).
 */
export async function joinKeyConditions(
  view: SecureView,
  pushed: ViewPushdown | undefined,
  loaded: Map<string, LoadedSide>,
  box: Pick<Sandbox, 'stream'>,
  dialect: Dialect,
  hmacKey: HmacKey,
  callerOrg: string | undefined,
): Promise<SqlCondition[]> {
  const conditions: SqlCondition[] = [];
  for (const edge of pushed?.joins ?? []) {
    const side = loaded.get(edge.table);
    const column = view.columns.find((c) => c.name === edge.column);
    if (!side || !column || side.rows > MAX_KEY_SIDE_ROWS || !side.fields.includes(edge.otherColumn))
      continue;
    if (!mayReceiveKeys(view.resource.provider.id, side.provider, callerOrg)) continue;
    const keys = await distinctKeys(box, edge.table, edge.otherColumn, column.type === 'integer');
    if (keys) conditions.push(keyCondition(column, keys, dialect, hmacKey));
  }
  return conditions;
}
