import { ConflictError } from '../errors/index.js';
import { type EquivalenceClass, type HmacKey, kAnonymity, type MaskSpec } from '../privacy/index.js';
import type { Access, KGate } from '../sharing/index.js';
import type { Connector } from '../sources/index.js';
import { auditActorOf } from './audit-actor.js';
import { type Caller, consumerHmacKey, type QueryContext } from './context.js';
import { expression, readView } from './read-view.js';
import type { SecureView, ViewColumn } from './secure-view.js';

// The k-anonymity gate of open data (开放数据 k 匿名门槛). k is measured on the rows open data
// actually releases: every row of the open view (open data has no row filter), each
// quasi-identifier as it leaves (after its mask or generalisation), counted in the source's own
// SQL — `SELECT q1, q2, COUNT(*) … GROUP BY 1, 2 HAVING COUNT(*) < k ORDER BY COUNT(*) LIMIT n` —
// so that only the few classes below k (none, when the release passes) cross the wire.

/** The k a gate requires: the steward's, raised to the platform's minimum. */
export function requiredK(ctx: QueryContext, gate: KGate): number {
  return Math.max(gate.k, ctx.openDataMinK ?? 5);
}

/** The view's columns of the quasi-identifiers that are released (the others are not in the rows). */
export function quasiColumns(view: SecureView, quasi: readonly string[]): ViewColumn[] {
  return quasi.flatMap((item) => view.columns.filter((c) => c.item === item));
}

/**
 * The columns k is counted over: the released quasi-identifiers; none released (a release of
 * personal items none of whose items is a proposed quasi-identifier, or whose quasi-identifiers
 * were all dropped since), one released column masked to NULL, so that the whole release is one
 * class and its row count must reach k.
 */
export function countedColumns(view: SecureView, quasi: readonly string[]): ViewColumn[] {
  const columns = quasiColumns(view, quasi);
  if (columns.length > 0 || view.columns.length === 0) return columns;
  return [{ ...view.columns[0]!, mask: { kind: 'null' } }];
}

/** A class of the counted columns as the steward sees it: no values when the whole release is one class. */
export function namedClass(c: EquivalenceClass, named: readonly ViewColumn[]): EquivalenceClass {
  const items = new Set(named.map((n) => n.item));
  return {
    values: Object.fromEntries(Object.entries(c.values).filter(([item]) => items.has(item))),
    size: c.size,
  };
}

/**
 * The equivalence classes of `columns` (each as released: masked, or with `masks` instead) of
 * fewer than `below` rows (all when absent), smallest first, at most `limit`; values keyed by item.
 */
export async function smallClasses(
  connector: Connector,
  view: SecureView,
  columns: readonly ViewColumn[],
  options: { below?: number; limit: number; hmacKey: HmacKey; masks?: readonly MaskSpec[] },
): Promise<EquivalenceClass[]> {
  const masked = columns.map((c, i) => (options.masks ? { ...c, mask: options.masks[i]! } : c));
  if (connector.pushdown && connector.dialect !== null) {
    const dialect = connector.dialect;
    const result = await connector.read({
      from: view.binding.from,
      columns: [],
      expressions: masked.map((c, i) => ({ ...expression(c, dialect, options.hmacKey), alias: `q${i}` })),
      filters: view.rowFilter,
      groupCount: { alias: 'class_size', ...(options.below === undefined ? {} : { below: options.below }) },
      limit: options.limit,
    });
    const classes: EquivalenceClass[] = [];
    for await (const batch of result.batches)
      for (const row of batch)
        classes.push({
          values: Object.fromEntries(masked.map((c, i) => [c.item, textOf(row[i])])),
          size: Number(row[masked.length]),
        });
    return classes;
  }
  // A source that cannot run SQL (HTTP JSON): its rows are read through the view and counted here.
  const stream = await readView(
    connector,
    { ...view, columns: masked },
    { fields: masked.map((c) => c.name) },
    options.hmacKey,
  );
  const rows: Record<string, unknown>[] = [];
  for await (const batch of stream.batches)
    for (const row of batch) rows.push(Object.fromEntries(masked.map((c, i) => [c.item, row[i]])));
  if (rows.length === 0) return [];
  const report = kAnonymity(
    rows,
    masked.map((c) => c.item),
    { limit: Number.MAX_SAFE_INTEGER },
  );
  return report.smallest
    .filter((c) => options.below === undefined || c.size < options.below)
    .slice(0, options.limit);
}

const textOf = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Whether an access is open data under a k-anonymity gate (with no quasi-identifier released: the whole release). */
export function gated(access: Access): access is Access & { kGate: KGate } {
  return access.mode === 'open' && !!access.kGate;
}

/**
 * The gate on every read of open data (rows in every format, SQL, verification, any transport):
 * refuses with 409 `open_release_below_k` when a class of the released rows is smaller than k.
 * The refusal names k and the quasi-identifiers only — never a value or a class size, which
 * would point at the few people of a small class — and is logged before it is answered.
 */
export async function enforceOpenK(ctx: QueryContext, caller: Caller, view: SecureView): Promise<void> {
  if (!gated(view.access)) return;
  const gate = view.access.kGate;
  const k = requiredK(ctx, gate);
  const columns = quasiColumns(view, gate.quasiIdentifiers);
  const counted = countedColumns(view, gate.quasiIdentifiers);
  if (counted.length === 0) return;
  const connector = await ctx.connectorFor(view.binding.sourceId);
  const small = await smallClasses(connector, view, counted, {
    below: k,
    limit: 1,
    hmacKey: consumerHmacKey(ctx, caller.actor, view.access),
  });
  if (small.length === 0) return;
  await ctx.audit.append({
    type: 'open_release.below_k',
    actor: auditActorOf(caller.actor),
    requestId: caller.requestId,
    resources: [view.resource.code],
    data: { k, quasiIdentifiers: columns.map((c) => c.item) },
  });
  throw belowK(view.resource.code, k, columns);
}

/** The public refusal: k and the quasi-identifiers' names, nothing derived from the rows. */
export function belowK(
  code: string,
  k: number,
  columns: readonly ViewColumn[],
  steward?: object,
): ConflictError {
  return new ConflictError(
    'open_release_below_k',
    `The open data of ${code} is not ${k}-anonymous over its quasi-identifiers, so it is not released`,
    { k, quasiIdentifiers: columns.map((c) => c.item), ...steward },
  );
}
