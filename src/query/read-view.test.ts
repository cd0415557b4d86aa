import { describe, expect, it } from 'vitest';
import type { ResourceView } from '../catalog/index.js';
import { applyMask, type MaskSpec, maskSql } from '../privacy/index.js';
import type { Access } from '../sharing/index.js';
import type { Connector, ExpressionContext, ReadPlan } from '../sources/index.js';
import type { Binding } from './bindings.js';
import { readView, type ViewRequest } from './read-view.js';
import { isClear, secureView, toSourceFilter } from './secure-view.js';

// The enforce and execute steps of one resource without a source: the view a grant gives, the plan
// read-view sends to the connector (what it pushes down, what it keeps for later), and what it
// makes of the rows the connector answers. The HTTP suites run the same against real sources.
const HMAC = 'k'.repeat(32);
const NAME: MaskSpec = { kind: 'name' };
const ID: MaskSpec = { kind: 'id-number' };

const resource = {
  code: 'R-001',
  items: [
    { name: '姓名', field: 'xm' },
    { name: '身份证号', field: 'sfzh' },
    { name: '区划', field: null },
    { name: '年龄', field: 'nl' },
    { name: '备注', field: 'bz' },
  ],
} as unknown as ResourceView;

const binding = {
  resourceId: 'r1',
  sourceId: 's1',
  from: { kind: 'table', table: 'people' },
  columns: [
    { item: '姓名', column: 'c_name' },
    { item: '身份证号', column: 'c_id' },
    { item: '区划', column: 'c_area' },
    { item: '年龄', column: 'c_age' },
  ],
  snapshot: [
    { name: 'c_name', type: 'string' },
    { name: 'c_id', type: 'string' },
    { name: 'c_area', type: 'string' },
    { name: 'c_age', type: 'integer' },
  ],
} as unknown as Binding;

const access = (over: Partial<Access> = {}): Access => ({
  mode: 'grant',
  resourceCode: 'R-001',
  grantId: 'g1',
  purpose: '测试',
  use: 'detail',
  items: [
    { name: '姓名', mask: NAME },
    { name: '身份证号', mask: ID },
    { name: '区划', mask: { kind: 'none' } },
    { name: '年龄', mask: { kind: 'none' } },
  ],
  rowFilter: [{ item: '区划', op: 'eq', value: '鼓楼区' }],
  quota: null,
  mayExport: false,
  privacyBudget: null,
  ...over,
});

// Source rows in source-column order: c_name, c_id, c_area, c_age.
const ROWS = [
  ['张三', '350102199001011234', '鼓楼区', 30],
  ['李四', '350102198502023456', '鼓楼区', 41],
  ['王五', '35010219700303789X', '鼓楼区', 55],
  ['赵六', null, '鼓楼区', 62],
];

/**
 * A connector that records each plan and answers `rows` (in the plan's column order: source
 * columns, or expression aliases when pushed down), as one batch or one per row.
 */
function fakeConnector(options: {
  pushdown: boolean;
  rows?: unknown[][];
  perRow?: boolean;
  fromSource?: boolean;
}) {
  const plans: ReadPlan[] = [];
  const connector = {
    kind: options.pushdown ? 'postgres' : 'http_json',
    dialect: options.pushdown ? 'postgres' : null,
    pushdown: options.pushdown,
    async read(plan: ReadPlan) {
      plans.push(plan);
      const names = plan.expressions?.length ? plan.expressions.map((e) => e.alias) : (plan.columns ?? []);
      const rows = options.fromSource ? jsRows(plan.columns ?? []) : (options.rows ?? []);
      return {
        columns: names.map((name) => ({ name, type: 'string' })),
        batches: (async function* () {
          if (options.perRow) for (const r of rows) yield [r];
          else yield rows;
        })(),
      };
    },
  } as unknown as Connector;
  return { connector, plans };
}

async function read(connector: Connector, request: ViewRequest, a = access()) {
  const stream = await readView(connector, secureView(resource, a, binding), request, HMAC);
  const rows: unknown[][] = [];
  for await (const batch of stream.batches) rows.push(...batch);
  return { columns: stream.columns, rows };
}

/** ROWS as the JS path reads them for `sources` (source columns), masked as the view says. */
const jsRows = (sources: string[]) => {
  const order = ['c_name', 'c_id', 'c_area', 'c_age'];
  return ROWS.map((r) => sources.map((s) => r[order.indexOf(s)]));
};

describe('secureView', () => {
  it('names columns by field (else item), maps them to the bound source columns, types masked ones as text', () => {
    const view = secureView(
      resource,
      access({
        items: [
          { name: '区划', mask: { kind: 'none' } },
          { name: '年龄', mask: { kind: 'none' } },
          { name: '姓名', mask: NAME },
          { name: '身份证号', mask: { kind: 'null' } },
        ],
      }),
      binding,
    );
    expect(view.columns).toEqual([
      { name: '区划', item: '区划', source: 'c_area', type: 'string', mask: { kind: 'none' } },
      { name: 'nl', item: '年龄', source: 'c_age', type: 'integer', mask: { kind: 'none' } },
      { name: 'xm', item: '姓名', source: 'c_name', type: 'string', mask: NAME },
      { name: 'sfzh', item: '身份证号', source: 'c_id', type: 'string', mask: { kind: 'null' } },
    ]);
    const ageBand = secureView(
      resource,
      access({ items: [{ name: '年龄', mask: { kind: 'age-band', width: 10 } }] }),
      binding,
    );
    expect(ageBand.columns[0]!.type).toBe('string');
    const nulled = secureView(
      resource,
      access({ items: [{ name: '年龄', mask: { kind: 'null' } }] }),
      binding,
    );
    expect(nulled.columns[0]!.type).toBe('integer');
    // A column the snapshot does not describe is delivered as text, clear or nulled.
    const undescribed = { ...binding, snapshot: [] } as Binding;
    const clearOrNull = access({
      items: [
        { name: '年龄', mask: { kind: 'none' } },
        { name: '区划', mask: { kind: 'null' } },
      ],
    });
    expect(secureView(resource, clearOrNull, undescribed).columns.map((c) => c.type)).toEqual([
      'string',
      'string',
    ]);
    expect(view.rowFilter).toEqual([{ column: 'c_area', op: 'eq', value: '鼓楼区' }]);
    expect(view).toMatchObject({ resource, binding });
  });

  it('refuses an item of the grant or of its row filter that is not bound', () => {
    const unbound = access({ items: [{ name: '备注', mask: { kind: 'none' } }] });
    expect(() => secureView(resource, unbound, binding)).toThrow(
      expect.objectContaining({
        status: 409,
        code: 'item_not_bound',
        message: expect.stringContaining('备注'),
      }),
    );
    const filter = access({ rowFilter: [{ item: '备注', op: 'is_null', value: true }] });
    expect(() => secureView(resource, filter, binding)).toThrow(
      expect.objectContaining({ code: 'item_not_bound' }),
    );
  });

  it('keeps every field of a condition but its item', () => {
    expect(
      toSourceFilter({ item: '年龄', op: 'range', min: 1, max: 2, maxInclusive: false }, () => 'c_age'),
    ).toEqual({ column: 'c_age', op: 'range', min: 1, max: 2, maxInclusive: false });
    expect(isClear({ kind: 'none' })).toBe(true);
    expect(isClear({ kind: 'null' })).toBe(false);
  });
});

describe('readView, masks computed here (no pushdown)', () => {
  it('reads the allowed source columns under the grant’s row filter and masks them', async () => {
    const { connector, plans } = fakeConnector({
      pushdown: false,
      rows: jsRows(['c_name', 'c_id', 'c_area', 'c_age']),
    });
    const { columns, rows } = await read(connector, { limit: 10, offset: 0 });
    expect(plans).toEqual([
      {
        from: { kind: 'table', table: 'people' },
        columns: ['c_name', 'c_id', 'c_area', 'c_age'],
        filters: [{ column: 'c_area', op: 'eq', value: '鼓楼区' }],
        sort: [],
        limit: 10,
        offset: 0,
      },
    ]);
    expect(columns.map(({ name, type }) => ({ name, type }))).toEqual([
      { name: 'xm', type: 'string' },
      { name: 'sfzh', type: 'string' },
      { name: '区划', type: 'string' },
      { name: 'nl', type: 'integer' },
    ]);
    expect(rows).toEqual(
      ROWS.map(([n, id, area, age]) => [applyMask(NAME, n), applyMask(ID, id), area, age]),
    );
    expect(rows[0]![0]).toBe('张*');
    expect(JSON.stringify(rows)).not.toContain('199001011234');
  });

  it('reads only the fields asked, in their order, and refuses any other as unknown', async () => {
    const { connector, plans } = fakeConnector({ pushdown: false, rows: jsRows(['c_age', 'c_name']) });
    const { columns, rows } = await read(connector, { fields: ['nl', 'xm'] });
    expect(plans[0]!.columns).toEqual(['c_age', 'c_name']);
    expect(columns.map((c) => c.name)).toEqual(['nl', 'xm']);
    expect(rows[0]).toEqual([30, '张*']);
    for (const field of ['bz', '备注', '姓名', 'c_name']) {
      await expect(read(connector, { fields: [field] })).rejects.toMatchObject({
        status: 400,
        code: 'unknown_field',
        message: `No column ${field} is available to you`,
        details: { field },
      });
    }
  });

  it('pushes conditions on clear columns to the source, and sorts only on them', async () => {
    const { connector, plans } = fakeConnector({ pushdown: false, rows: [] });
    await read(connector, {
      filters: [{ column: 'nl', op: 'range', min: 40, maxInclusive: true }],
      sort: [
        { column: 'nl', direction: 'desc' },
        { column: '区划', direction: 'asc' },
      ],
      limit: 5,
      offset: 2,
    });
    expect(plans[0]).toMatchObject({
      filters: [
        { column: 'c_area', op: 'eq', value: '鼓楼区' },
        { column: 'c_age', op: 'range', min: 40, maxInclusive: true },
      ],
      sort: [
        { column: 'c_age', direction: 'desc' },
        { column: 'c_area', direction: 'asc' },
      ],
      limit: 5,
      offset: 2,
    });
    await expect(read(connector, { sort: [{ column: 'xm', direction: 'asc' }] })).rejects.toMatchObject({
      status: 400,
      code: 'masked_field_not_sortable',
      message: 'xm is masked and cannot be sorted on',
    });
    await expect(read(connector, { sort: [{ column: 'nope', direction: 'asc' }] })).rejects.toMatchObject({
      code: 'unknown_field',
    });
    await expect(
      read(connector, { filters: [{ column: 'nope', op: 'is_null', value: true }] }),
    ).rejects.toMatchObject({
      code: 'unknown_field',
      message: 'No column nope is available to you',
      details: { field: 'nope' },
    });
  });

  it('tests conditions on masked columns on the masked values, then windows the rows itself', async () => {
    const { connector, plans } = fakeConnector({ pushdown: false, fromSource: true, perRow: true });
    // The clear name matches nothing; its masked form matches all whose surname is 张… only.
    const clear = await read(connector, {
      fields: ['区划'],
      filters: [{ column: 'xm', op: 'eq', value: '张三' }],
    });
    expect(clear.rows).toEqual([]);
    const masked = await read(connector, {
      fields: ['区划'],
      filters: [{ column: 'xm', op: 'like', pattern: '%*' }],
      limit: 2,
      offset: 1,
    });
    // The filter's column is read (after the asked ones) but not delivered; the window is applied here.
    expect(plans[1]).toMatchObject({ columns: ['c_area', 'c_name'] });
    expect(plans[1]).not.toHaveProperty('limit');
    expect(plans[1]).not.toHaveProperty('offset');
    expect(masked).toEqual({
      columns: [{ name: '区划', type: 'string', label: '区划' }],
      rows: [['鼓楼区'], ['鼓楼区']],
    });
    const surname = await read(connector, {
      fields: ['xm', '区划'],
      filters: [{ column: 'xm', op: 'in', values: ['李*', '王*'] }],
    });
    expect(surname.rows).toEqual([
      ['李*', '鼓楼区'],
      ['王*', '鼓楼区'],
    ]);
    expect(plans[2]).toMatchObject({ columns: ['c_name', 'c_area'] });
    const one = await read(connector, {
      fields: ['xm'],
      filters: [{ column: 'xm', op: 'like', pattern: '%' }],
      limit: 1,
    });
    expect(one.rows).toEqual([['张*']]);
    const skipAll = await read(connector, {
      fields: ['xm'],
      filters: [{ column: 'xm', op: 'like', pattern: '%' }],
      offset: 4,
    });
    expect(skipAll.rows).toEqual([]);
    const nullId = await read(connector, {
      fields: ['xm'],
      filters: [{ column: 'sfzh', op: 'is_null', value: true }],
    });
    expect(nullId.rows).toEqual([['赵*']]);
  });

  it('masks in JS with the caller’s HMAC key, and never yields an empty batch', async () => {
    const { connector } = fakeConnector({ pushdown: false, fromSource: true, perRow: true });
    const hmac = access({
      items: [
        { name: '身份证号', mask: { kind: 'hmac' } },
        { name: '区划', mask: { kind: 'none' } },
      ],
    });
    const { rows } = await read(connector, {}, hmac);
    expect(rows[0]).toEqual([applyMask({ kind: 'hmac' }, ROWS[0]![1], { hmacKey: HMAC }), '鼓楼区']);
    const stream = await readView(
      connector,
      secureView(resource, access(), binding),
      { fields: ['xm'], filters: [{ column: 'xm', op: 'eq', value: '王*' }] },
      HMAC,
    );
    const batches: unknown[][][] = [];
    for await (const batch of stream.batches) batches.push(batch);
    expect(batches).toEqual([[['王*']]]);
  });

  it('cuts a single batch at the window', async () => {
    const { connector } = fakeConnector({ pushdown: false, fromSource: true });
    const all = [{ column: 'xm', op: 'like' as const, pattern: '%' }];
    expect((await read(connector, { fields: ['xm'], filters: all, limit: 1 })).rows).toEqual([['张*']]);
    expect((await read(connector, { fields: ['xm'], filters: all, limit: 2, offset: 1 })).rows).toEqual([
      ['李*'],
      ['王*'],
    ]);
  });

  it('computes masks here whenever the source cannot run them: no pushdown, or no dialect', async () => {
    for (const [pushdown, dialect] of [
      [true, null],
      [false, 'postgres'],
    ] as const) {
      const plans: ReadPlan[] = [];
      const connector = {
        pushdown,
        dialect,
        async read(plan: ReadPlan) {
          plans.push(plan);
          return {
            columns: (plan.columns ?? []).map((name) => ({ name, type: 'string' })),
            batches: (async function* () {
              yield jsRows(plan.columns ?? []);
            })(),
          };
        },
      } as unknown as Connector;
      const { rows } = await read(connector, { fields: ['xm'] });
      expect(plans[0]).toMatchObject({ columns: ['c_name'] });
      expect(plans[0]!.expressions).toBeUndefined();
      expect(rows[0]).toEqual(['张*']);
    }
  });

  it('stops reading once the window is full', async () => {
    let pulled = 0;
    const connector = {
      dialect: null,
      pushdown: false,
      async read() {
        return {
          columns: [{ name: 'c_name', type: 'string' }],
          batches: (async function* () {
            for (const r of ROWS) {
              pulled++;
              yield [[r[0]]];
            }
          })(),
        };
      },
    } as unknown as Connector;
    const { rows } = await read(connector, {
      fields: ['xm'],
      filters: [{ column: 'xm', op: 'like', pattern: '%' }],
      limit: 2,
    });
    expect(rows).toEqual([['张*'], ['李*']]);
    expect(pulled).toBe(2);
  });
});

describe('readView, masks computed in the source (pushdown)', () => {
  const context: ExpressionContext = {
    dialect: 'postgres',
    column: (name) => `"${name}"`,
    bind: () => '$1',
  };

  it('asks for one expression per delivered column, the masks in the source’s SQL', async () => {
    const { connector, plans } = fakeConnector({ pushdown: true, rows: [['张*', '鼓楼区']] });
    const { columns, rows } = await read(connector, { fields: ['xm', '区划'], limit: 3 });
    const plan = plans[0]!;
    expect(plan).toMatchObject({
      columns: [],
      filters: [{ column: 'c_area', op: 'eq', value: '鼓楼区' }],
      limit: 3,
    });
    expect(plan.expressions!.map((e) => [e.alias, e.type])).toEqual([
      ['xm', 'string'],
      ['区划', 'string'],
    ]);
    expect(plan.expressions![0]!.build(context)).toBe(
      maskSql(NAME, '"c_name"', 'postgres', { hmacKey: HMAC, bind: () => '$1' }),
    );
    expect(plan.expressions![1]!.build(context)).toBe('"c_area"');
    // The source answered exactly the delivered columns: passed through as they are.
    expect(columns.map(({ name, type }) => ({ name, type }))).toEqual([
      { name: 'xm', type: 'string' },
      { name: '区划', type: 'string' },
    ]);
    expect(rows).toEqual([['张*', '鼓楼区']]);
  });

  it('binds the HMAC key as a parameter of the source’s SQL', async () => {
    const { connector, plans } = fakeConnector({ pushdown: true });
    const hmac = access({ items: [{ name: '身份证号', mask: { kind: 'hmac' } }] });
    await read(connector, {}, hmac);
    const bound: unknown[] = [];
    const sql = plans[0]!.expressions![0]!.build({
      ...context,
      bind: (v) => {
        bound.push(v);
        return `$${bound.length}`;
      },
    });
    expect(sql).toContain('$1');
    expect(bound.length).toBeGreaterThan(0);
    expect(sql).not.toContain(HMAC);
    expect(sql).not.toContain(Buffer.from(HMAC).toString('hex'));
  });

  it('tests conditions on masked columns on the masked values the source computed, not on clear ones', async () => {
    const { connector, plans } = fakeConnector({
      pushdown: true,
      rows: [
        ['鼓楼区', '张*'],
        ['鼓楼区', '李*'],
      ],
    });
    const { columns, rows } = await read(connector, {
      fields: ['区划'],
      filters: [{ column: 'xm', op: 'eq', value: '李*' }],
      limit: 1,
    });
    expect(plans[0]!.expressions!.map((e) => e.alias)).toEqual(['区划', 'xm']);
    expect(plans[0]!.filters).toEqual([{ column: 'c_area', op: 'eq', value: '鼓楼区' }]);
    expect(plans[0]).not.toHaveProperty('limit');
    expect(columns.map(({ name, type }) => ({ name, type }))).toEqual([{ name: '区划', type: 'string' }]);
    expect(rows).toEqual([['鼓楼区']]);
  });

  it('reorders what a source answers in another order rather than mislabel a column', async () => {
    const connector = {
      dialect: 'postgres',
      pushdown: true,
      async read() {
        return {
          columns: [
            { name: '区划', type: 'string' },
            { name: 'xm', type: 'string' },
          ],
          batches: (async function* () {
            yield [['鼓楼区', '张*']];
          })(),
        };
      },
    } as unknown as Connector;
    expect((await read(connector, { fields: ['xm', '区划'] })).rows).toEqual([['张*', '鼓楼区']]);
    // One column in place and two swapped: still reordered.
    const three = {
      ...connector,
      async read() {
        return {
          columns: [
            { name: 'xm', type: 'string' },
            { name: 'nl', type: 'integer' },
            { name: '区划', type: 'string' },
          ],
          batches: (async function* () {
            yield [['张*', 30, '鼓楼区']];
          })(),
        };
      },
    } as unknown as Connector;
    expect((await read(three, { fields: ['xm', '区划', 'nl'] })).rows).toEqual([['张*', '鼓楼区', 30]]);
    const extra = {
      ...connector,
      async read() {
        return {
          columns: [
            { name: 'xm', type: 'string' },
            { name: '区划', type: 'string' },
            { name: 'extra', type: 'string' },
          ],
          batches: (async function* () {
            yield [['张*', '鼓楼区', '350102199001011234']];
          })(),
        };
      },
    } as unknown as Connector;
    expect((await read(extra, { fields: ['xm', '区划'] })).rows).toEqual([['张*', '鼓楼区']]);
  });
});
