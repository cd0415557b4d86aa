/// <reference path="./pg-utils.d.ts" />
import pg from 'pg';
// The driver's own text for a bound array parameter (`{"a","b"}`), so that an array literal says
// what the parameter would have said.
import { prepareValue } from 'pg/lib/utils.js';
import copyStreams from 'pg-copy-streams';
import type { ReadPlan } from '../plan.js';
import { buildSelect } from '../sql/build-select.js';
import { POSTGRES } from '../sql/dialect.js';
import type { DescribedColumn } from '../types.js';
import { type CopyOut, CopyUnsupported } from './connector.js';
import { parsePlan } from './sql-read.js';

/**
 * A plan's value as a PostgreSQL literal, for a COPY statement, which takes no parameters. Filter
 * values reach here already checked against their column's type (sql/filters.ts `checkValue`);
 * this admits only the scalars a bound parameter would carry as text, and quotes them with the
 * driver's own `escapeLiteral`. A quoted literal is of type unknown, resolved from its context
 * exactly as an untyped parameter is, so the statement means what the parameterised one means.
 */
export function copyLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? "'true'" : "'false'";
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CopyUnsupported('a number that is not finite');
    return pg.escapeLiteral(String(value));
  }
  if (typeof value === 'bigint') return pg.escapeLiteral(value.toString());
  if (typeof value === 'string') {
    // PostgreSQL text cannot hold NUL; the parameterised read refuses it at the source as well.
    if (value.includes('\u0000')) throw new CopyUnsupported('a value with NUL');
    return pg.escapeLiteral(value);
  }
  // Join keys pushed as one array (`= ANY(CAST(… AS BIGINT[]))`): scalars only, no NUL.
  if (Array.isArray(value) && value.every(isArrayElement))
    return pg.escapeLiteral(String(prepareValue(value)));
  throw new CopyUnsupported(`a ${typeof value} value`);
}

function isArrayElement(value: unknown): boolean {
  if (typeof value === 'string') return !value.includes('\u0000');
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'bigint' || value === null;
}

/** The COPY statement of a read plan: its SELECT, values as literals, as CSV on STDOUT. */
export function copyStatement(plan: ReadPlan, described: DescribedColumn[], relation: string) {
  const parsed = parsePlan(plan);
  if (parsed.groupCount || parsed.after) throw new CopyUnsupported('group counts and keyset pages');
  const select = buildSelect(POSTGRES, parsed, relation, described, undefined, copyLiteral);
  return { text: `COPY (${select.text}) TO STDOUT (FORMAT csv)`, columns: select.columns };
}

/**
 * Runs a COPY … TO STDOUT on a pooled client, in a read-only transaction, and streams its bytes.
 * The statement timeout is lifted for the COPY alone: a cursor read is timed per FETCH, and one
 * COPY of a large export to a slow reader would otherwise be cut mid-file. A COPY abandoned by
 * its reader leaves the connection mid-protocol: it is destroyed, not returned to the pool.
 */
export function copyOut(
  pool: pg.Pool,
  statement: { text: string; columns: CopyOut['columns'] },
  fail: (error: unknown) => Error,
): CopyOut {
  let rows: number | undefined;
  const chunks = async function* () {
    const client = await pool.connect().catch((e) => {
      throw fail(e);
    });
    let clean = false;
    try {
      await client.query('BEGIN READ ONLY');
      await client.query('SET LOCAL statement_timeout = 0');
      const stream = client.query(copyStreams.to(statement.text));
      for await (const chunk of stream) yield chunk as Buffer;
      // The command tag can arrive after the data's end; the COMMIT is answered only after it.
      await client.query('COMMIT');
      rows = stream.rowCount;
      clean = true;
    } catch (error) {
      throw fail(error);
    } finally {
      client.release(clean ? undefined : new Error('COPY not completed'));
    }
  };
  return { columns: statement.columns, chunks: chunks(), rowCount: () => rows };
}
