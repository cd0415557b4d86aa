import { describe, expect, it } from 'vitest';
import { inspectSelect, sqlPosition } from './sql-guard.js';

describe('inspectSelect', () => {
  it('accepts SELECTs, joins, CTEs, set operations and subqueries and lists their tables', async () => {
    expect(
      (
        await inspectSelect('SELECT a.x, count(*) FROM pop a JOIN "350000-A01" b ON a.id = b.id GROUP BY 1')
      ).tables.sort(),
    ).toEqual(['350000-A01', 'pop']);
    expect(
      (
        await inspectSelect('WITH t AS (SELECT * FROM pop) SELECT * FROM t UNION SELECT * FROM ent')
      ).tables.sort(),
    ).toEqual(['ent', 'pop']);
    expect(
      (
        await inspectSelect('SELECT (SELECT max(x) FROM q) FROM pop WHERE id IN (SELECT id FROM r)')
      ).tables.sort(),
    ).toEqual(['pop', 'q', 'r']);
    expect((await inspectSelect('SELECT 1')).tables).toEqual([]);
    const columns = (await inspectSelect('SELECT a.name, count(*) FROM pop a WHERE a.age > 3 GROUP BY 1'))
      .columns;
    expect([...(columns as Set<string>)].sort()).toEqual(['age', 'name']);
    expect((await inspectSelect('SELECT * FROM pop')).columns).toBe('all');
  });

  it('reads constants DuckDB serialises as bare Infinity and NaN (not JSON), strings that spell them untouched', async () => {
    const inspected = await inspectSelect(
      `SELECT 1e999, -1e999, 'Infinity', 'say "NaN"', x FROM pop WHERE y < 1e999 AND z <> 'NaN'`,
    );
    expect(inspected.tables).toEqual(['pop']);
    expect([...(inspected.columns as Set<string>)].sort()).toEqual(['x', 'y', 'z']);
  });

  it('reads every column under any form of star or a whole-row reference', async () => {
    for (const sql of [
      'SELECT * EXCLUDE (name) FROM pop',
      'SELECT p.* EXCLUDE (name) FROM pop p',
      'SELECT * REPLACE (upper(name) AS name) FROM pop',
      "SELECT COLUMNS('^a') FROM pop",
      'SELECT COLUMNS(c -> c LIKE $$a%$$) FROM pop',
      'SELECT count(*) FROM (SELECT * EXCLUDE (name) FROM pop)',
      'SELECT p FROM pop p',
      'SELECT to_json(pop) FROM pop',
    ])
      expect((await inspectSelect(sql)).columns, sql).toBe('all');
    const columns = (await inspectSelect('SELECT NAME, p.Age FROM pop p')).columns as Set<string>;
    expect([...columns].sort()).toEqual(['age', 'name']);
  });

  const refusals: Array<[string, string]> = [
    ["SELECT * FROM read_csv('/etc/passwd')", 'table_function_forbidden'],
    ["SELECT * FROM read_parquet('https://example.org/x.parquet')", 'table_function_forbidden'],
    ['SELECT * FROM duckdb_settings()', 'table_function_forbidden'],
    ["SELECT * FROM glob('/*')", 'table_function_forbidden'],
    ["SELECT * FROM query('SELECT 1')", 'table_function_forbidden'],
    ["ATTACH '/tmp/x.db'", 'not_a_select'],
    ["COPY pop TO '/tmp/out.csv'", 'not_a_select'],
    ['INSTALL httpfs', 'not_a_select'],
    ['LOAD httpfs', 'not_a_select'],
    ['SET enable_external_access = true', 'not_a_select'],
    ['PRAGMA database_list', 'not_a_select'],
    ['CREATE TABLE x AS SELECT 1', 'not_a_select'],
    ['DROP TABLE pop', 'not_a_select'],
    ['DESCRIBE pop', 'show_forbidden'],
    ['SELECT * FROM information_schema.tables', 'qualified_name_forbidden'],
    ['SELECT * FROM main.pop', 'qualified_name_forbidden'],
    ["SELECT current_setting('memory_limit')", 'function_forbidden'],
    // Builders whose size an argument sets escape DuckDB's memory_limit and interrupt (F2).
    ['SELECT count(*) FROM (SELECT unnest(range(1000000000)) FROM pop)', 'function_forbidden'],
    ['SELECT generate_series(1, n) FROM pop', 'function_forbidden'],
    ["SELECT repeat('x', 2000000000) FROM pop", 'function_forbidden'],
    ['SELECT name.repeat(3) FROM pop', 'function_forbidden'],
    ['SELECT list_resize([1], 1000000000) FROM pop', 'function_forbidden'],
    ['SELECT array_resize([1], 1000000000) FROM pop', 'function_forbidden'],
    ["SELECT printf('%1500000000d', 1) FROM pop", 'function_forbidden'],
    ["SELECT format('{:>1500000000}', name) FROM pop", 'function_forbidden'],
    ["SELECT bitstring('1', 1500000000) FROM pop", 'function_forbidden'],
    ['SELECT bitstring_agg(id, 0, 99999999) FROM pop GROUP BY id', 'function_forbidden'],
    ['SELECT approx_top_k(id, 10000) OVER () FROM pop', 'function_forbidden'],
    ["SELECT lpad(name, 1500000000, 'x') FROM pop", 'function_forbidden'],
    ["SELECT rpad(name, age * 1000000, 'x') FROM pop", 'function_forbidden'],
    ['SELECT list_transform([1], x -> "RANGE"(x)) FROM pop', 'function_forbidden'],
    ['SELECT * FROM range(10)', 'table_function_forbidden'],
    ['SELECT * FROM generate_series(1, 10)', 'table_function_forbidden'],
    ['SELECT * FROM pop; SELECT 2', 'multiple_statements'],
    ['SELECT * FROM pop WHERE id = $1', 'parameters_forbidden'],
    ['SELEC 1', 'sql_syntax_error'],
  ];
  it('names the refused builder and why', async () => {
    await expect(inspectSelect('SELECT len(RANGE(1000000000)) FROM pop')).rejects.toThrow(
      /function range .*set by its arguments/,
    );
    await expect(inspectSelect("SELECT lpad(name, age, '0') FROM pop")).rejects.toThrow(
      /lpad needs a literal width/,
    );
  });

  it('allows padding to a literal width', async () => {
    expect((await inspectSelect("SELECT lpad(code, 6, '0'), rpad(name, 20, ' ') FROM pop")).tables).toEqual([
      'pop',
    ]);
  });

  for (const [sql, code] of refusals) {
    it(`refuses ${sql} (${code})`, async () => {
      await expect(inspectSelect(sql)).rejects.toMatchObject({ status: 400, code });
    });
  }
});

describe('inspectSelect: positions, limits and messages', () => {
  it('locates a character offset by line and column, and nothing outside the text', () => {
    expect(sqlPosition('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(sqlPosition('ab\ncd', 2)).toEqual({ line: 1, column: 3 });
    expect(sqlPosition('ab\ncd', 3)).toEqual({ line: 2, column: 1 });
    expect(sqlPosition('ab\ncd', 5)).toEqual({ line: 2, column: 3 });
    expect(sqlPosition('a\nb\nc', 4)).toEqual({ line: 3, column: 1 });
    for (const offset of [6, -1, 1.5, Number.NaN])
      expect(sqlPosition('ab\ncd', offset), String(offset)).toBeNull();
  });

  it('answers a syntax error with DuckDB’s first line and where it is', async () => {
    const error = (await inspectSelect('SELECT name\nFROM pop\nWHERE').catch((e: unknown) => e)) as {
      code: string;
      message: string;
      details: { reason: string; line: number; column: number };
    };
    expect(error.code).toBe('sql_syntax_error');
    expect(error.details.reason).toMatch(/syntax error/i);
    expect(error.details.reason).not.toContain('\n');
    expect(error.details.line).toBe(3);
    expect(error.message).toBe(`${error.details.reason} (line 3, column ${error.details.column})`);
  });

  it('refuses SQL past 100,000 characters, and takes it up to that', async () => {
    const sql = (length: number) => {
      const head = 'SELECT name FROM pop -- ';
      return head + 'x'.repeat(length - head.length);
    };
    expect((await inspectSelect(sql(100_000))).tables).toEqual(['pop']);
    await expect(inspectSelect(sql(100_001))).rejects.toMatchObject({
      code: 'sql_too_long',
      message: 'SQL is limited to 100000 characters',
    });
  });

  it('says why in each refusal', async () => {
    const message = (sql: string) =>
      inspectSelect(sql).then(
        () => '',
        (e: Error) => e.message,
      );
    expect(await message("SELECT * FROM read_csv('x')")).toBe(
      'Table functions cannot be used; name resources instead',
    );
    expect(await message('SELECT * FROM pop p JOIN read_csv($$x$$) r ON true')).toBe(
      'Table functions cannot be used; name resources instead',
    );
    expect(await message('DESCRIBE pop')).toBe(
      'DESCRIBE and SHOW are not available; see the resource’s items',
    );
    expect(await message('SELECT * FROM pop WHERE id = $1')).toBe(
      'Query parameters are not supported; write literals',
    );
    expect(await message('SELECT * FROM main.pop')).toBe(
      'Name resources by code or alias only, without a schema or catalog',
    );
    expect(await message("ATTACH 'x'")).toBe('Only SELECT statements are accepted');
    expect(await message('SELECT 1 FROM pop; SELECT 2 FROM pop')).toBe('Send exactly one SELECT statement');
  });

  it('refuses every other kind of table reference, in FROM and on either side of a join', async () => {
    for (const sql of [
      'SELECT * FROM pop PIVOT (count(*) FOR name IN (1, 2))',
      'SELECT * FROM pop p JOIN pop PIVOT (count(*) FOR name IN (1)) ON true',
      'SELECT * FROM pop PIVOT (count(*) FOR name IN (1)) p JOIN pop q ON true',
      'SELECT * FROM pop p JOIN (SELECT 1) UNPIVOT (v FOR k IN (a)) ON true',
    ])
      await expect(inspectSelect(sql), sql).rejects.toMatchObject({
        code: 'table_reference_forbidden',
        message: expect.stringMatching(/^Table references of type PIVOT are not allowed$/),
      });
  });

  it('reads a whole-row reference among other columns as every column', async () => {
    expect((await inspectSelect('SELECT p, name FROM pop p')).columns).toBe('all');
    expect(
      [...((await inspectSelect('SELECT a.x FROM pop a JOIN q b USING (id)')).columns as Set<string>)].sort(),
    ).toEqual(['id', 'x']);
  });
});
