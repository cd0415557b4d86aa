import type { Connector } from '../connectors/connector.js';
import { parsePlan } from '../connectors/sql-read.js';
import { sourceError } from '../errors.js';
import { rowMatcher } from '../http-json/match-filters.js';
import type { DescribedColumn, ResultColumn } from '../types.js';

/**
 * A connector over rows already in hand (a batch of captured changes), so that they pass the same
 * enforcement as a read (query/'s readView): projection, the grant's row filter (with SQL's
 * meaning, as for HTTP sources) and masks in JS. It pushes nothing down and reads nothing.
 */
export function rowsConnector(columns: ResultColumn[], rows: Record<string, unknown>[]): Connector {
  const described: DescribedColumn[] = columns.map((c) => ({ ...c, nativeType: c.type, nullable: true }));
  const byName = new Map(described.map((c, i) => [c.name, { column: c, index: i }]));
  const find = (name: string) => {
    const found = byName.get(name);
    if (!found)
      throw sourceError('source_schema_changed', `The column ${name} is not in the captured change`);
    return found;
  };
  return {
    kind: 'postgres',
    dialect: null,
    pushdown: false,
    test: async () => ({ ok: true, latencyMs: 0, serverVersion: null }),
    describe: async () => ({ tables: [] }),
    describeFrom: async () => described,
    read: async (input) => {
      const plan = parsePlan(input);
      const wanted = (plan.columns?.length ? plan.columns : described.map((c) => c.name)).map(find);
      const match = rowMatcher(
        plan.filters,
        (n) => find(n).index,
        (n) => find(n).column,
      );
      const arrays = rows.map((r) => described.map((c) => r[c.name] ?? null)).filter(match);
      const picked = arrays.map((a) => wanted.map((w) => a[w.index]));
      return {
        columns: wanted.map((w) => ({ name: w.column.name, type: w.column.type })),
        batches: (async function* () {
          if (picked.length) yield picked;
        })(),
      };
    },
    close: async () => undefined,
  };
}
