import type { HmacKey } from '../privacy/index.js';
import { type Connector, CopyUnsupported, type SelectExpression } from '../sources/index.js';
import { crlfRows } from './deliver/copy-csv.js';
import { csvHead } from './deliver/csv.js';
import { csvToParquet } from './deliver/parquet.js';
import { deliveredColumn, expression, type ViewRequest, viewPlan } from './read-view.js';
import type { Column, Header } from './row-stream.js';
import type { BulkInput, SandboxLimits } from './sandbox.js';
import { isClear, type ViewColumn } from './secure-view.js';

/** The formats with a bulk path. */
export type CopyFormat = 'csv' | 'parquet';

// Native types whose COPY text is the text the row path delivers: integers and numeric (the
// server's digits either way), dates (kept as the server's text by the connector), and text
// types the driver hands over as strings. Others (timestamps become JS dates, floats print
// differently, JSON is re-serialised, intervals and arrays become objects) take the row path.
const SAME_TEXT = new Set([
  'smallint',
  'integer',
  'bigint',
  'numeric',
  'date',
  'text',
  'character varying',
  'varchar',
  'character',
  'bpchar',
  'name',
  'uuid',
  'citext',
]);
// Types that may be empty strings, which the platform's CSV writes as it writes NULL (COPY quotes them).
const MAY_BE_EMPTY = new Set(['text', 'character varying', 'varchar', 'name', 'citext']);
// For Parquet the values are typed by DuckDB, not printed: a float's text parses to the same double.
const PARQUET_ALSO = new Set(['real', 'double precision']);

const baseType = (native: string) => native.replace(/\(\d+(,\s*\d+)?\)/g, '').trim();

/**
 * A view column for the COPY path: its masked expression as the row path builds it, rewritten
 * so that COPY prints what the row path prints (booleans as true/false; empty text as NULL in
 * CSV). A column it cannot serve so throws CopyUnsupported while the statement is built, before
 * anything is sent. HMAC masks take the row path: COPY has no parameters, and their keys must
 * not appear in the statement's text (the source's activity view and logs).
 */
function copyExpression(column: ViewColumn, format: CopyFormat, hmacKey: HmacKey): SelectExpression {
  const base = expression(column, 'postgres', hmacKey);
  return {
    ...base,
    build: (context) => {
      if (column.mask.kind === 'hmac') throw new CopyUnsupported('an HMAC mask');
      const sql = base.build(context);
      // A masked value is text built by the mask's SQL.
      if (!isClear(column.mask)) return format === 'csv' ? `NULLIF(${sql}, '')` : sql;
      const native = baseType(context.nativeType?.(column.source) ?? '');
      if (native === 'boolean') return `CASE WHEN ${sql} THEN 'true' WHEN NOT ${sql} THEN 'false' END`;
      if (!SAME_TEXT.has(native) && !(format === 'parquet' && PARQUET_ALSO.has(native)))
        throw new CopyUnsupported(`a ${native} column`);
      return format === 'csv' && MAY_BE_EMPTY.has(native) ? `NULLIF(${sql}, '')` : sql;
    },
  };
}

/** A file export streamed from the source's COPY: its body and the rows it carries. */
export interface CopyExport {
  columns: Column[];
  body: AsyncIterable<Buffer>;
  rows(): number;
}

/** A view's rows as its source's COPY CSV: the delivered columns and the bytes, not yet read. */
export interface CopyRead {
  columns: Column[];
  out: CopyOut;
}

type CopyOut = Awaited<ReturnType<NonNullable<Connector['copyOut']>>>;

/**
 * The secure view's SELECT — the grant's items and masks, its row filter, the consumer's filters,
 * sort and conditions (pushdown/), the limit — as the source's `COPY (…) TO STDOUT (FORMAT csv)`,
 * built but not sent (its bytes flow once `out.chunks` is read). Null when the read cannot take
 * it: a source without a bulk path, a filter on a masked column (it runs on masked values, in the
 * platform), a column whose COPY text differs from the row path's, a value COPY's literals cannot
 * carry. Nothing has been sent to the source then.
 */
export async function copyRead(
  connector: Connector,
  format: CopyFormat,
  view: Parameters<typeof viewPlan>[0],
  request: ViewRequest,
  hmacKey: HmacKey,
): Promise<CopyRead | null> {
  if (!connector.copyOut || connector.dialect !== 'postgres' || !connector.pushdown) return null;
  if (request.offset) return null;
  const plan = viewPlan(view, request);
  if (plan.later.length > 0 || plan.needed.length !== plan.columns.length) return null;
  try {
    const out = await connector.copyOut({
      from: view.binding.from,
      columns: [],
      expressions: plan.columns.map((c) => copyExpression(c, format, hmacKey)),
      filters: plan.pushed,
      ...(request.conditions?.length ? { conditions: request.conditions } : {}),
      sort: plan.sort,
      ...(request.limit !== undefined ? { limit: request.limit } : {}),
    });
    return { columns: plan.columns.map(deliveredColumn), out };
  } catch (error) {
    if (error instanceof CopyUnsupported) return null;
    throw error;
  }
}

/**
 * A side's COPY for `Sandbox.load`, built only when the load asks for it (the side proved large):
 * read as the Parquet export reads it, typed by DuckDB. Null where COPY cannot carry the read.
 */
export function copyLoad(
  connector: Connector,
  view: Parameters<typeof viewPlan>[0],
  request: ViewRequest,
  hmacKey: HmacKey,
): () => Promise<BulkInput | null> {
  return async () => {
    const read = await copyRead(connector, 'parquet', view, request, hmacKey);
    return read && { columns: read.columns, chunks: read.out.chunks };
  };
}

/**
 * The bulk path of a file export (docs/query.md): the view's COPY (`copyRead`) streamed as it
 * comes, instead of row objects; Parquet through a sandbox's DuckDB. Null when the read cannot
 * take it, and the caller reads rows.
 */
export async function copyExport(
  connector: Connector,
  format: CopyFormat,
  input: {
    view: Parameters<typeof viewPlan>[0];
    request: ViewRequest;
    hmacKey: HmacKey;
    sandbox: SandboxLimits;
    bom?: boolean;
    header?: Header;
  },
): Promise<CopyExport | null> {
  const read = await copyRead(connector, format, input.view, input.request, input.hmacKey);
  if (!read) return null;
  const { columns, out } = read;
  if (format === 'parquet') {
    const parquet = await csvToParquet(columns, out.chunks, input.sandbox);
    return { columns, body: parquet.body, rows: () => out.rowCount() ?? 0 };
  }
  const csv = crlfRows(out.chunks);
  const head = csvHead(columns, { bom: input.bom, header: input.header });
  const body = (async function* () {
    yield head;
    yield* csv.body;
  })();
  return { columns, body, rows: csv.rows };
}
