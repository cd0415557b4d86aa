import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../../test/support/source-data.js';
import { aggregateFunctionNames, serializeSql } from '../duckdb-parser.js';
import { Sandbox } from '../sandbox.js';
import { CheckReasonSchema } from './reasons.js';
import type { Check, CheckReport } from './report.js';
import { runChecked, runUnchecked } from './run-checks.js';
import { type CheckablePlan, judgeShape, type Shape } from './shape.js';

// The reasons of a check report, as codes and figures the console translates: what the shape
// judge gives a query it holds, and what the checks give an answer they ran.

const IDENTIFYING = new Set(['xm', 'sfzh']);
const K = 10;

async function shapeOf(sql: string): Promise<Shape> {
  const tree = (await serializeSql(sql)) as { statements: Record<string, unknown>[] };
  return judgeShape(tree.statements[0]!, IDENTIFYING, await aggregateFunctionNames());
}

async function reviewReasons(sql: string) {
  const shape = await shapeOf(sql);
  if (shape.kind !== 'review') throw new Error(`${sql} is checkable`);
  return shape.reasons;
}

/** 鼓楼区 24 people (one man), 台江区 13 (women), 晋安区 3 (one man); `bz` holds an ID number in 鼓楼区. */
function buildPeople() {
  return Array.from({ length: 40 }, (_, i) => {
    const qh = i < 24 ? '鼓楼区' : i < 37 ? '台江区' : '晋安区';
    return [
      `户${i}`,
      makeIdNumber('350102', '19700101', i + 1),
      qh,
      i === 5 || i === 38 ? '男' : '女',
      300 + i,
      qh === '鼓楼区' ? makeIdNumber('350102', '19800101', 1) : '无',
    ];
  });
}

const checkOf = (report: CheckReport, name: Check['name']) => report.checks.find((c) => c.name === name)!;

describe('the reasons of a held shape', () => {
  it('names the construct of a join, the function of max(), and a condition on an identifying item', async () => {
    expect(await reviewReasons('SELECT count(*) FROM t a JOIN t b ON a.qh = b.qh')).toEqual([
      { code: 'unchecked_shape', params: { construct: 'join' }, detail: 'join' },
    ]);
    expect(await reviewReasons('SELECT qh, max(je) FROM t GROUP BY qh')).toEqual([
      {
        code: 'unsafe_aggregate',
        params: { function: 'max' },
        detail: "max(): its value can be one row's value",
      },
    ]);
    expect(await reviewReasons(`SELECT count(*) FROM t WHERE xm <> '户5'`)).toEqual([
      { code: 'identifying_in_condition', detail: 'WHERE names an identifying item' },
    ]);
  });

  it('says how an aggregate is called, and the limit a query passes', async () => {
    const reasons = await reviewReasons(
      `SELECT sum(CASE WHEN xb = '男' THEN je END), avg(sfzh) FROM t GROUP BY qh, xb, je, bz, a, b, c LIMIT 3`,
    );
    expect(reasons.map((r) => ('params' in r ? [r.code, r.params] : [r.code]))).toEqual([
      ['unchecked_shape', { construct: 'limit' }],
      ['unchecked_shape', { construct: 'too_many_keys', max: 6 }],
      ['aggregate_argument', { function: 'sum', argument: 'expression' }],
      ['aggregate_argument', { function: 'avg', argument: 'identifying' }],
    ]);
    expect(reasons[1]!.detail).toBe('more than 6 GROUP BY keys');
    for (const reason of reasons) expect(CheckReasonSchema.parse(reason)).toEqual(reason);
  });
});

describe('the reasons of a checked answer', () => {
  let box: Sandbox;
  const plan = async (sql: string): Promise<CheckablePlan> => {
    const shape = await shapeOf(sql);
    if (shape.kind !== 'checkable') throw new Error(JSON.stringify(shape.reasons));
    return shape.plan;
  };

  beforeAll(async () => {
    box = await Sandbox.open({ memoryLimit: '256MB', threads: 1, timeoutMs: 10_000, scratchRoot: tmpdir() });
    const people = buildPeople();
    await box.load('t', {
      columns: ['xm', 'sfzh', 'qh', 'xb', 'je', 'bz'].map((name) => ({
        name,
        type: name === 'je' ? ('integer' as const) : ('string' as const),
      })),
      batches: (async function* () {
        yield people;
      })(),
    });
    await box.lock();
  }, 60_000);
  afterAll(() => box?.close());

  it('counts the rows suppressed, primary and secondary, against k', async () => {
    const { report } = await runChecked(
      box,
      await plan('SELECT qh, xb, count(*) AS n FROM t GROUP BY qh, xb'),
      K,
    );
    // Under k: 鼓楼区 男 (1), 晋安区 女 (2) and 男 (1). Then 台江区 女 (13) goes, or the grand total
    // would give the 4 withheld rows by difference, and 鼓楼区 女, or 鼓楼区's total would give 男.
    expect(checkOf(report, 'minimum_group_size').reasons).toEqual([
      {
        code: 'small_groups_suppressed',
        params: { k: K, primary: 3, secondary: 2 },
        detail: expect.stringContaining('withheld: 3;'),
      },
    ]);
    expect(checkOf(report, 'condition_effect').reasons).toEqual([
      { code: 'no_low_effect_condition', params: { k: K }, detail: expect.any(String) },
    ]);
    expect(checkOf(report, 'checkable_shape').reasons.map((r) => r.code)).toEqual(['checkable']);
  });

  it('names the condition that singles out, and what the values look like', async () => {
    const { report } = await runChecked(
      box,
      await plan(`SELECT bz, sum(je) AS total FROM t WHERE qh = '鼓楼区' AND xb <> '男' GROUP BY bz`),
      K,
    );
    expect(report.outcome).toBe('held_for_review');
    expect(checkOf(report, 'condition_effect')).toMatchObject({
      passed: false,
      reasons: [{ code: 'low_effect_condition', params: { k: K, conditions: [2] } }],
    });
    expect(checkOf(report, 'no_identifiers_in_values')).toMatchObject({
      passed: false,
      reasons: [{ code: 'identifier_values', params: { kinds: ['id-number'] } }],
    });
  });

  it('gives a held shape its reasons, and keeps the English detail beside them', async () => {
    const sql = 'SELECT qh, max(je) FROM t GROUP BY qh';
    const shape = await shapeOf(sql);
    if (shape.kind !== 'review') throw new Error('checkable');
    const { report } = await runUnchecked(box, sql, K, shape.reasons);
    const held = checkOf(report, 'checkable_shape');
    expect(held).toEqual({
      name: 'checkable_shape',
      passed: false,
      detail: "unsafe_aggregate: max(): its value can be one row's value",
      reasons: shape.reasons,
    });
    expect(checkOf(report, 'no_identifiers_in_values').reasons).toEqual([
      { code: 'no_identifier_values', detail: 'no value looks like an identifier' },
    ]);
  });
});
