import { issueProblem } from '../../errors/index.js';
import { sourceError } from '../errors.js';
import { type ParsedReadPlan, type ReadFrom, type ReadPlan, ReadPlanSchema } from '../plan.js';
import { type BuiltSelect, buildSelect } from '../sql/build-select.js';
import type { SqlDialect } from '../sql/dialect.js';
import type { DescribedColumn, RowBatches } from '../types.js';

/** Validates a read plan; a malformed one is a 400 `invalid_read_plan` with zod's issues. */
export function parsePlan(plan: ReadPlan): ParsedReadPlan {
  const { expressions, groupCount, conditions, ...data } = plan;
  const parsed = ReadPlanSchema.safeParse(data);
  if (!parsed.success)
    throw sourceError(
      'invalid_read_plan',
      'The read plan is malformed',
      parsed.error.issues.map((i) => issueProblem(i.path.join('.'), i)),
    );
  for (const e of expressions ?? [])
    if (!/^[\p{L}\p{N}_]{1,63}$/u.test(e.alias))
      throw sourceError('invalid_read_plan', 'An expression alias is letters, digits and _', {
        alias: e.alias,
      });
  if (groupCount) {
    if (!/^[\p{L}\p{N}_]{1,63}$/u.test(groupCount.alias))
      throw sourceError('invalid_read_plan', 'A count alias is letters, digits and _', {
        alias: groupCount.alias,
      });
    if (groupCount.below !== undefined && (!Number.isSafeInteger(groupCount.below) || groupCount.below < 1))
      throw sourceError('invalid_read_plan', 'A group count bound is a positive integer');
    if (parsed.data.sort.length || parsed.data.after || parsed.data.offset)
      throw sourceError('invalid_read_plan', 'A group count is ordered by its count, without offset');
  }
  return {
    ...parsed.data,
    ...(expressions ? { expressions } : {}),
    ...(groupCount ? { groupCount } : {}),
    ...(conditions ? { conditions } : {}),
  };
}

/** A steward's SELECT with one trailing semicolon (and whitespace) removed, ready to wrap as a subquery. */
export function stewardSelect(sql: string): string {
  const text = sql.trim().replace(/;\s*$/, '');
  if (!/^(select|with)\b/i.test(text))
    throw sourceError('invalid_read_plan', 'A steward query must be one SELECT (or WITH … SELECT)');
  return text;
}

/** The FROM item of a read in `dialect`: a quoted table, or the steward's SELECT as a subquery. */
export function relationSql(dialect: SqlDialect, from: ReadFrom, defaultSchema?: string): string {
  if (from.kind === 'query') return `(${stewardSelect(from.sql)}) AS ${dialect.quote('q')}`;
  const schema = from.schema ?? defaultSchema;
  return schema ? `${dialect.quote(schema)}.${dialect.quote(from.table)}` : dialect.quote(from.table);
}

/** What a SQL connector supplies to `sqlRead`. */
export interface SqlReadDeps {
  dialect: SqlDialect;
  describeFrom(from: ReadFrom): Promise<DescribedColumn[]>;
  relation(from: ReadFrom): string;
  /**
   * Runs the built SELECT and yields batches of value arrays, releasing resources when done or
   * abandoned. `single` says the whole result fits one batch (a LIMIT no larger than the batch),
   * so a connector may skip the machinery of cursors.
   */
  stream(select: BuiltSelect, batchSize: number, single: boolean): AsyncIterable<unknown[][]>;
  /**
   * Whether a read narrowed by conditions first tries one single query of `batchSize + 1` rows
   * (see sqlRead): for a source whose streamed read costs round trips (PostgreSQL's cursor: BEGIN,
   * DECLARE, FETCH, COMMIT), not for one that streams a plain query anyway (MySQL).
   */
  probeNarrowed?: boolean;
}

// Reads check their columns against describe(); describing on every read would double the
// queries a provider's database receives. A dropped or retyped column is still caught by the
// query pipeline's drift check and, at worst, by the source itself within this window.
const DESCRIBE_TTL_MS = 5000;

/** describeFrom with a short per-connector memory, for reads. */
export function memoDescribe(describeFrom: (from: ReadFrom) => Promise<DescribedColumn[]>) {
  const memo = new Map<string, { at: number; columns: Promise<DescribedColumn[]> }>();
  return (from: ReadFrom): Promise<DescribedColumn[]> => {
    const key = JSON.stringify(from);
    const hit = memo.get(key);
    if (hit && Date.now() - hit.at < DESCRIBE_TTL_MS) return hit.columns;
    const columns = describeFrom(from);
    memo.set(key, { at: Date.now(), columns });
    columns.catch(() => memo.delete(key));
    if (memo.size > 1000) memo.delete(memo.keys().next().value!);
    return columns;
  };
}

/** The read of every SQL connector: parse, describe, check and build, then stream lazily. */
export async function sqlRead(deps: SqlReadDeps, plan: ReadPlan, batchSize = 1000): Promise<RowBatches> {
  const parsed = parsePlan(plan);
  const described = await deps.describeFrom(parsed.from);
  const select = buildSelect(deps.dialect, parsed, deps.relation(parsed.from), described, deps.relation);
  const single = parsed.limit !== undefined && parsed.limit <= batchSize;
  if (!single && deps.probeNarrowed && probeable(parsed)) {
    // A read the consumer's SQL narrowed (a point query, a selective filter) usually returns a
    // few rows: one query with a LIMIT of one batch and one row answers it in one round trip.
    // Only when that limit is reached is the read run again, streamed: a probe never cuts a read.
    const probe = buildSelect(
      deps.dialect,
      { ...parsed, limit: batchSize + 1 },
      deps.relation(parsed.from),
      described,
      deps.relation,
    );
    return { columns: select.columns, batches: probed(deps, probe, select, batchSize) };
  }
  return { columns: select.columns, batches: deps.stream(select, batchSize, single) };
}

/**
 * A read with conditions and nothing that a LIMIT would change the cost of much: no order (a
 * probe would sort everything), no window, no group count.
 */
function probeable(plan: ParsedReadPlan): boolean {
  return (
    (plan.conditions?.length ?? 0) > 0 &&
    plan.sort.length === 0 &&
    plan.offset === undefined &&
    plan.after === undefined &&
    plan.groupCount === undefined
  );
}

async function* probed(
  deps: SqlReadDeps,
  probe: BuiltSelect,
  select: BuiltSelect,
  batchSize: number,
): AsyncGenerator<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const batch of deps.stream(probe, batchSize + 1, true)) rows.push(...batch);
  if (rows.length <= batchSize) {
    if (rows.length > 0) yield rows;
    return;
  }
  yield* deps.stream(select, batchSize, false);
}
