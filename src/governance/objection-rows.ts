import { BadRequestError } from '../errors/index.js';
import { type Caller, deliverRows, type QueryContext } from '../query/index.js';

/** The rows an objection names, as the consumer's own read found them. */
export interface CheckedRows {
  keys: string[];
}

interface RowsPage {
  columns: { name: string }[];
  rows: Record<string, unknown>[];
}

/**
 * Checks that every key names a row the consumer may read, and that the key column and the items
 * are columns its access shows, by reading them through query/ (the one path out): the grant,
 * its row filter and masks apply, the read is logged as a release and counted in the quota, as
 * any read. Keys are compared with the values as delivered, so a masked column matches only its
 * masked value and an objection cannot probe the clear one.
 */
export async function checkObjectedRows(
  query: QueryContext,
  caller: Caller,
  code: string,
  keyColumn: string,
  values: (string | number)[],
  fields: string[],
): Promise<CheckedRows> {
  const keys = [...new Set(values.map(String))];
  // A check, not a use: as a GET it creates no automatic grant (the release and quota stand).
  const delivery = await deliverRows(query, { ...caller, readOnly: true }, code, {
    format: 'json',
    fields: [...new Set([keyColumn, ...fields])].join(','),
    filter: JSON.stringify([{ column: keyColumn, op: 'in', values }]),
    limit: 1000,
  });
  // A JSON read always answers JSON; anything else would be a refusal thrown above.
  const page = JSON.parse(delivery.kind === 'json' ? delivery.body : '{"columns":[],"rows":[]}') as RowsPage;
  const found = new Set(page.rows.map((r) => String(r[keyColumn])));
  const missing = keys.filter((k) => !found.has(k));
  if (missing.length > 0)
    throw new BadRequestError(
      'rows_not_found',
      `No row you may read has ${keyColumn} = ${missing.join(', ')}`,
      {
        keys: missing,
      },
    );
  return { keys };
}
