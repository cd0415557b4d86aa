import { describe, expect, it } from 'vitest';
import type { MaskSpec } from '../../privacy/index.js';
import { aggregateFunctionNames } from '../duckdb-parser.js';
import type { SecureView, ViewColumn } from '../secure-view.js';
import { inspectSelect } from '../sql-guard.js';
import { extractPushdown } from './extract.js';

// A view needs only its columns here: which names exist, their delivered type and mask.
const column = (name: string, type: ViewColumn['type'], mask: MaskSpec = { kind: 'none' }): ViewColumn => ({
  name,
  item: name,
  source: `src_${name}`,
  type,
  mask,
});
const view = (...columns: ViewColumn[]) => ({ columns }) as unknown as SecureView;
const PEOPLE = view(
  column('id', 'integer'),
  column('qh', 'string'),
  column('sfzh', 'string', { kind: 'id-number' }),
  column('age', 'integer', { kind: 'null' }),
  column('score', 'number'),
);
const ORDERS = view(column('oid', 'integer'), column('person', 'integer'), column('qh', 'string'));

async function pushdownOf(sql: string, views: Record<string, SecureView> = { p: PEOPLE }) {
  const inspected = await inspectSelect(sql);
  const found = extractPushdown(
    inspected.statement,
    new Map(Object.entries(views)),
    await aggregateFunctionNames(),
  );
  return Object.fromEntries(found);
}

describe('what a consumer’s SQL lets a source leave out', () => {
  it('pushes the conjuncts it is sure of, on clear and masked columns, each as written', async () => {
    expect(
      await pushdownOf(
        "SELECT qh FROM p WHERE id = 5 AND 3 < id AND id BETWEEN 1 AND 9 AND qh IN ('350102', '110105') " +
          "AND sfzh = '350102********0016' AND sfzh LIKE '35%' AND age IS NULL AND qh IS NOT NULL AND id NOT IN (7)",
      ),
    ).toEqual({
      p: {
        predicates: [
          { column: 'id', op: '=', value: { kind: 'integer', value: 5 } },
          { column: 'id', op: '>', value: { kind: 'integer', value: 3 } },
          { column: 'id', op: '>=', value: { kind: 'integer', value: 1 } },
          { column: 'id', op: '<=', value: { kind: 'integer', value: 9 } },
          {
            column: 'qh',
            op: 'in',
            values: [
              { kind: 'text', value: '350102' },
              { kind: 'text', value: '110105' },
            ],
          },
          { column: 'sfzh', op: '=', value: { kind: 'text', value: '350102********0016' } },
          { column: 'sfzh', op: 'like', pattern: '35%' },
          { column: 'age', op: 'is_null' },
          { column: 'qh', op: 'is_not_null' },
          { column: 'id', op: 'not_in', values: [{ kind: 'integer', value: 7 }] },
        ],
      },
    });
  });

  it('leaves in the sandbox what a source could compare otherwise', async () => {
    for (const sql of [
      "SELECT * FROM p WHERE qh < '35'", // text order: collation in the source, bytes in the sandbox
      'SELECT * FROM p WHERE score = 1', // floating point and decimals: not exact across engines
      "SELECT * FROM p WHERE id = '5'", // a cast the sandbox makes
      'SELECT * FROM p WHERE id = 1.5',
      'SELECT * FROM p WHERE id = 9007199254740993', // not exact in JavaScript
      "SELECT * FROM p WHERE age = '30'", // a NULL mask keeps nothing to compare
      "SELECT * FROM p WHERE qh LIKE 'a\\%'", // an escape the sandbox does not have
      "SELECT * FROM p WHERE upper(qh) = 'X' OR id = 1",
      'SELECT * FROM p WHERE id = NULL',
      'SELECT * FROM p WHERE id = id',
      "SELECT * FROM p WHERE qh COLLATE nocase = 'x'",
      `SELECT * FROM p WHERE id IN (${Array.from({ length: 1001 }, (_, i) => i).join(', ')})`,
    ])
      expect(await pushdownOf(sql), sql).toEqual({ p: { predicates: [] } });
  });

  it('pushes nothing when the resource is read twice, outside a plain FROM, or behind an outer join', async () => {
    const both = { p: PEOPLE, o: ORDERS };
    for (const sql of [
      'SELECT * FROM p WHERE id = 1 AND id IN (SELECT id FROM p)',
      'SELECT (SELECT count(*) FROM p) AS n, id FROM p WHERE id = 1',
      'WITH x AS (SELECT 1) SELECT * FROM p WHERE id = 1',
      'SELECT * FROM (SELECT * FROM p) WHERE id = 1',
      'SELECT * FROM p WHERE id = 1 UNION ALL SELECT * FROM p',
      'SELECT * FROM p a JOIN p b ON a.id = b.id WHERE a.id = 1',
      'SELECT * FROM p TABLESAMPLE 10% WHERE id = 1',
    ])
      expect(await pushdownOf(sql), sql).toEqual({});
    expect(
      await pushdownOf('SELECT * FROM p LEFT JOIN o ON o.person = p.id WHERE o.oid IS NULL', both),
    ).toEqual({});
  });

  it('pushes each side’s conjuncts of an inner join, qualified or unambiguous, ON included', async () => {
    const found = await pushdownOf(
      'SELECT * FROM p JOIN o AS x ON x.person = p.id AND x.oid > 10 WHERE p.id < 100 AND qh = $$1$$ AND sfzh IS NULL',
      { p: PEOPLE, o: ORDERS },
    );
    expect(found).toEqual({
      p: {
        predicates: [
          { column: 'id', op: '<', value: { kind: 'integer', value: 100 } },
          { column: 'sfzh', op: 'is_null' },
        ],
        joins: [{ column: 'id', table: 'o', otherColumn: 'person' }],
      },
      o: {
        predicates: [{ column: 'oid', op: '>', value: { kind: 'integer', value: 10 } }],
        joins: [{ column: 'person', table: 'p', otherColumn: 'id' }],
      },
    });
  });

  it('finds the equi-joins whose keys one side may push to the other: same type, compared alike', async () => {
    const TAXES = view(
      column('payer', 'integer'),
      column('payer_text', 'string'),
      column('sfzh', 'string', { kind: 'hmac' }),
      column('hidden', 'integer', { kind: 'null' }),
      column('rate', 'number'),
    );
    const views = { p: PEOPLE, t: TAXES };
    expect(
      await pushdownOf(
        'SELECT * FROM p, t WHERE t.payer = p.id AND p.sfzh = t.sfzh AND p.qh = t.payer_text',
        views,
      ),
    ).toEqual({
      p: {
        predicates: [],
        joins: [
          { column: 'id', table: 't', otherColumn: 'payer' },
          // Masked on both sides: the masked texts are what the sandbox compares.
          { column: 'sfzh', table: 't', otherColumn: 'sfzh' },
          { column: 'qh', table: 't', otherColumn: 'payer_text' },
        ],
      },
      t: {
        predicates: [],
        joins: [
          { column: 'payer', table: 'p', otherColumn: 'id' },
          { column: 'sfzh', table: 'p', otherColumn: 'sfzh' },
          { column: 'payer_text', table: 'p', otherColumn: 'qh' },
        ],
      },
    });
    for (const sql of [
      'SELECT * FROM p JOIN t ON t.payer_text = p.id', // a cast between text and integer
      'SELECT * FROM p JOIN t ON t.rate = p.id', // a float
      'SELECT * FROM p JOIN t ON t.hidden = p.id', // a NULL mask
      'SELECT * FROM p JOIN t ON p.age = t.payer', // a NULL mask on the other side
      'SELECT * FROM p JOIN t ON t.payer = p.id + 0',
      'SELECT * FROM p JOIN t ON t.payer = p.id OR t.payer = 1',
      'SELECT * FROM p JOIN t ON t.payer IS NOT DISTINCT FROM p.id',
      'SELECT * FROM p JOIN t ON t.payer < p.id',
      'SELECT * FROM p, t WHERE p.id = p.age',
    ])
      expect(await pushdownOf(sql, views), sql).toEqual({ p: { predicates: [] }, t: { predicates: [] } });
    // Outer joins and self-joins push nothing at all (as for conditions).
    expect(await pushdownOf('SELECT * FROM p LEFT JOIN t ON t.payer = p.id', views)).toEqual({});
    expect(await pushdownOf('SELECT * FROM p a JOIN p b ON a.id = b.id')).toEqual({});
  });

  it('pushes LIMIT and OFFSET over one resource, in an order of clear integers, when every conjunct went', async () => {
    expect(await pushdownOf('SELECT id, qh FROM p WHERE id > 3 ORDER BY id DESC LIMIT 10 OFFSET 5')).toEqual({
      p: {
        predicates: [{ column: 'id', op: '>', value: { kind: 'integer', value: 3 } }],
        sort: [{ column: 'id', direction: 'desc' }],
        limit: 15,
      },
    });
    expect((await pushdownOf('SELECT upper(qh) AS q FROM p LIMIT 3')).p).toEqual({
      predicates: [],
      sort: [],
      limit: 3,
    });
    for (const sql of [
      "SELECT * FROM p WHERE upper(qh) = 'A' LIMIT 3", // a conjunct left in the sandbox
      'SELECT qh FROM p ORDER BY qh LIMIT 3', // text order
      'SELECT sfzh FROM p ORDER BY sfzh LIMIT 3',
      'SELECT id FROM p ORDER BY id NULLS FIRST LIMIT 3',
      'SELECT -id AS id FROM p ORDER BY id LIMIT 3', // ORDER BY binds the alias
      'SELECT count(*) FROM p LIMIT 3',
      'SELECT DISTINCT qh FROM p LIMIT 3',
      'SELECT qh FROM p GROUP BY qh LIMIT 3',
      'SELECT id, row_number() OVER () FROM p LIMIT 3',
      'SELECT unnest([id, id]) FROM p LIMIT 3',
      'SELECT id FROM p ORDER BY id + 0 LIMIT 3',
      'SELECT id FROM p LIMIT 10%',
    ])
      expect((await pushdownOf(sql)).p?.limit, sql).toBeUndefined();
    expect(
      (await pushdownOf('SELECT * FROM p JOIN o ON o.person = p.id LIMIT 3', { p: PEOPLE, o: ORDERS })).p
        ?.limit,
    ).toBeUndefined();
  });
});
