import { describe, expect, it } from 'vitest';
import { checkFunctionCall } from './function-policy.js';
import { inspectSelect } from './sql-guard.js';

// The function policy at its edges, on the nodes DuckDB's own parser builds (sql-guard.test.ts
// has the refusals by kind; the SQL corpus runs them through the API).
const refused = (sql: string) =>
  inspectSelect(sql).then(
    () => null,
    (e: { code?: string; message?: string }) => e,
  );

describe('checkFunctionCall', () => {
  it('refuses each function that reveals the engine, whatever its case', async () => {
    for (const name of ['current_setting', 'getvariable', 'getenv', 'current_query', 'duckdb_api']) {
      const error = await refused(`SELECT ${name.toUpperCase()}('x') FROM pop`);
      expect(error, name).toMatchObject({
        code: 'function_forbidden',
        message: `The function ${name} is not available`,
      });
    }
  });

  it('refuses each builder sized by an argument, also as a window or an aggregate', async () => {
    for (const sql of [
      'SELECT range(3) FROM pop',
      'SELECT generate_series(1, 3) FROM pop',
      "SELECT repeat('x', 3) FROM pop",
      'SELECT list_resize([1], 3) FROM pop',
      'SELECT array_resize([1], 3) FROM pop',
      "SELECT printf('%d', 1) FROM pop",
      "SELECT format('{}', 1) FROM pop",
      "SELECT bitstring('1', 3) FROM pop",
      'SELECT bitstring_agg(id) FROM pop',
      'SELECT approx_top_k(id, 3) FROM pop',
      'SELECT bitstring_agg(id) OVER () FROM pop',
    ]) {
      const error = await refused(sql);
      expect(error, sql).toMatchObject({
        code: 'function_forbidden',
        message: expect.stringContaining('set by its arguments'),
      });
    }
  });

  it('allows padding to a literal width from 0 to 1000 only', async () => {
    // A decimal's constant is its scaled integer (2.5 → 25), never less than its value: judged on that.
    for (const width of ['0', '1', '1000', '2.5'])
      expect(
        await refused(`SELECT lpad(code, ${width}, '0'), rpad(code, ${width}, '0') FROM pop`),
        width,
      ).toBeNull();
    for (const width of ['1001', '-1', '1000.9', "'6'", 'NULL', 'age', '(1000 + 1)', '2000000000'])
      for (const fn of ['lpad', 'rpad'])
        expect(await refused(`SELECT ${fn}(code, ${width}, '0') FROM pop`), `${fn} ${width}`).toMatchObject({
          code: 'function_forbidden',
          message: `The function ${fn} needs a literal width of at most 1000`,
        });
    expect(await refused('SELECT lpad(code) FROM pop')).toMatchObject({ code: 'function_forbidden' });
  });

  it('leaves other functions alone', async () => {
    for (const sql of [
      'SELECT upper(name), length(name), sum(age), max(age) OVER () FROM pop',
      "SELECT concat(name, '-'), substr(code, 1, 6), list_value(1, 2) FROM pop",
      "SELECT strftime(d, '%Y'), left(code, 2) FROM pop",
    ])
      expect(await refused(sql), sql).toBeNull();
    expect(() => checkFunctionCall({ function_name: 'upper', children: [] })).not.toThrow();
    expect(() =>
      checkFunctionCall({
        function_name: 'LPAD',
        children: [{}, { class: 'CONSTANT', value: { value: 6 } }],
      }),
    ).not.toThrow();
    expect(() =>
      checkFunctionCall({
        function_name: 'lpad',
        children: [{}, { class: 'CONSTANT', value: { value: 6.5 } }],
      }),
    ).toThrow();
    expect(() =>
      checkFunctionCall({
        function_name: 'lpad',
        children: [{}, { class: 'CONSTANT', value: { value: '6' } }],
      }),
    ).toThrow();
    // A constant without a value, or a call without arguments, is refused (never a TypeError).
    const widthError = expect.objectContaining({ code: 'function_forbidden' });
    expect(() => checkFunctionCall({ function_name: 'lpad', children: [{}, { class: 'CONSTANT' }] })).toThrow(
      widthError,
    );
    expect(() => checkFunctionCall({ function_name: 'lpad' })).toThrow(widthError);
  });
});
