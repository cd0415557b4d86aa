import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CanaryWorld, type HuntPersona, openCanaryWorld } from '../canary/world.js';
import { buildSharedResource } from '../support/factories.js';
import { expectRefusal } from '../support/refusals.js';
import { SERVICES, serviceAvailable } from '../support/services.js';

// The refusals of the data pipeline, each asserted through HTTP as the caller meets it, in the
// canary hunt's world (C holds a filtered, masked grant on PEOPLE; HIDDEN is not granted; ownCode
// is C's own unbound resource). refusal-coverage.test.ts checks that every registered code has one.

const postgresUp = await serviceAvailable('postgres');
const day = 86_400_000;

describe.skipIf(!postgresUp)('the refusals of the pipeline, through the API', () => {
  let w: CanaryWorld;
  beforeAll(async () => {
    w = await openCanaryWorld(31);
  }, 240_000);
  afterAll(() => w?.close());

  const call = (persona: HuntPersona, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    w.server.app.inject({
      method,
      url,
      headers: w.callers[persona].headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const rows = (query = '', code = w.codes.PEOPLE) =>
    call('key', 'GET', `/api/v1/resources/${code}/rows${query}`);
  const query = (text: string) =>
    call('key', 'POST', '/api/v1/query', { sql: text, aliases: { people: w.codes.PEOPLE } });
  const request = (overrides: Record<string, unknown> = {}) =>
    call('analyst', 'POST', '/api/v1/access-requests', {
      applicationId: undefined,
      resourceCode: w.codes.HIDDEN,
      items: ['姓名', '区划'],
      purpose: '测试',
      legalBasis: '测试依据',
      validUntil: new Date(Date.now() + 10 * day).toISOString(),
      ...overrides,
    });

  it('refuses rows the caller may not read, or asks for wrongly', async () => {
    expectRefusal(await rows('', 'NOPE-404'), 'not_found');
    expectRefusal(await rows('', w.codes.HIDDEN), 'no_grant');
    expectRefusal(await rows('', w.ownCode), 'resource_not_bound');
    expectRefusal(await rows('?fields=nbbh'), 'unknown_field');
    expectRefusal(await rows('?filter=notjson'), 'invalid_filter');
    expectRefusal(await rows('?limit=1&cursor=AAAA'), 'invalid_cursor');
    expectRefusal(await rows('?sort=sfzh'), 'masked_field_not_sortable');
  });

  it('refuses SQL before the sandbox, and reports the sandbox’s failures by code', async () => {
    expectRefusal(await query('SELECT 1'), 'no_resource');
    expectRefusal(await query('SELEC xm FROM people'), 'sql_syntax_error');
    expectRefusal(await query('DELETE FROM people'), 'not_a_select');
    expectRefusal(await query('SELECT 1 FROM people; SELECT 2 FROM people'), 'multiple_statements');
    expectRefusal(await query('SELECT * FROM people LIMIT $1'), 'parameters_forbidden');
    expectRefusal(await query('DESCRIBE people'), 'show_forbidden');
    expectRefusal(await query("SELECT * FROM read_csv('x.csv')"), 'table_function_forbidden');
    expectRefusal(await query('SELECT * FROM main.people'), 'qualified_name_forbidden');
    expectRefusal(await query("SELECT current_setting('threads') FROM people"), 'function_forbidden');
    expectRefusal(await query('SELECT * FROM "NOPE-404"'), 'resource_not_found');
    expectRefusal(await query("SELECT CAST('abc' AS INTEGER) AS n FROM people"), 'query_failed');
  }, 180_000);

  it('refuses verification of items outside the grant, and of resources not granted', async () => {
    const verify = (code: string, values: Record<string, string>) =>
      call('key', 'POST', `/api/v1/resources/${code}/verify`, { values });
    expectRefusal(await verify(w.codes.PEOPLE, { 内部编号: 'x', 姓名: w.decoys.name }), 'unknown_item');
    expectRefusal(await verify(w.codes.HIDDEN, { 身份证号: w.decoys.id, 姓名: w.decoys.name }), 'no_grant');
  });

  it('refuses requests, approvals and grant changes that break the workflow', async () => {
    const applicationId = (await call('analyst', 'GET', '/api/v1/applications')).json().items[0].id;
    expectRefusal(await call('analyst', 'POST', '/api/v1/access-requests', {}), 'invalid_request');
    expectRefusal(
      await request({ applicationId, validUntil: new Date(Date.now() - day).toISOString() }),
      'invalid_period',
    );
    expectRefusal(await request({ applicationId, resourceCode: w.ownCode }), 'own_resource');
    expectRefusal(await request({ applicationId, resourceCode: w.codes.VERIFYONLY }), 'request_not_needed');

    const pending = await request({ applicationId });
    const approve = (body: unknown) =>
      call('provider', 'POST', `/api/v1/access-requests/${pending.json().id}/approve`, body);
    expectRefusal(await approve({ items: [{ name: '姓名' }, { name: '内部编号' }] }), 'item_not_requested');
    expectRefusal(
      await approve({ validUntil: new Date(Date.now() + 100 * day).toISOString() }),
      'period_not_within_request',
    );
    const approved = await approve({});
    expectRefusal(await approve({}), 'request_not_pending');
    const grant = approved.json().grant.id;
    expectRefusal(
      await call('provider', 'POST', `/api/v1/grants/${grant}/resume`, {}),
      'grant_state_conflict',
    );
    await call('provider', 'POST', `/api/v1/grants/${grant}/suspend`, {});
    expectRefusal(await rows('', w.codes.HIDDEN), 'grant_revoked');
    expectRefusal(
      await call('key', 'GET', '/api/v1/usage?side=consumer&from=2026-02-01&to=2026-01-01'),
      'invalid_range',
    );
    expectRefusal(
      await call('analyst', 'POST', `/api/v1/resources/${w.codes.HIDDEN}/licence-acceptance`, {}),
      'no_licence_needed',
    );
  });

  it('refuses providers’ bindings and open releases that would mislead or leak', async () => {
    expectRefusal(
      await call('provider', 'PUT', `/api/v1/resources/${w.codes.HIDDEN}/binding`, {
        sourceId: w.sources.provider,
        from: { kind: 'table', schema: w.schema, table: 'hidden' },
        columns: { 姓名: 'no_such_column' },
      }),
      'unknown_column',
    );
    expectRefusal(
      await call('steward', 'PUT', `/api/v1/resources/${w.ownCode}/binding`, {
        sourceId: '00000000-0000-4000-8000-000000000000',
        from: { kind: 'table', table: 'data' },
      }),
      'unknown_source',
    );
    expectRefusal(
      await call('provider', 'PUT', `/api/v1/resources/${w.codes.OPEN}/open-release`, {
        items: [{ name: '身份证号', mask: { kind: 'none' } }],
      }),
      'open_release_has_personal_data',
    );
    // Personal items released openly need a k-anonymity gate: named as none, refused.
    expectRefusal(
      await call('provider', 'PUT', `/api/v1/resources/${w.codes.OPEN}/open-release`, {
        items: [{ name: '姓名' }, { name: '区划' }],
        quasiIdentifiers: [],
      }),
      'quasi_identifiers_required',
    );
  });

  it('refuses a grant outside its period or addresses, or a retired resource', async () => {
    const db = w.server.store.db;
    const people = await db
      .selectFrom('resources')
      .select(['id', 'status', 'open_type'])
      .where('code', '=', w.codes.PEOPLE)
      .executeTakeFirstOrThrow();
    const grant = await db
      .selectFrom('grants')
      .select(['id', 'valid_from', 'valid_until', 'allowed_ips'])
      .where('resource_id', '=', people.id)
      .where('origin', '=', 'request')
      .executeTakeFirstOrThrow();
    const setGrant = (values: Record<string, unknown>) =>
      db.updateTable('grants').set(values).where('id', '=', grant.id).execute();
    try {
      await setGrant({ valid_until: new Date(Date.now() - day) });
      expectRefusal(await rows(), 'grant_expired');
      await setGrant({ valid_until: grant.valid_until, valid_from: new Date(Date.now() + day) });
      expectRefusal(await rows(), 'grant_not_yet_valid');
      await setGrant({ valid_from: grant.valid_from, allowed_ips: ['10.0.0.0/8'] });
      expectRefusal(await rows(), 'ip_not_allowed');
    } finally {
      await setGrant({
        valid_from: grant.valid_from,
        valid_until: grant.valid_until,
        allowed_ips: grant.allowed_ips,
      });
    }
    expect((await rows()).statusCode).toBe(200);

    const setResource = (code: string, values: Record<string, unknown>) =>
      db.updateTable('resources').set(values).where('code', '=', code).execute();
    try {
      await setResource(w.codes.PEOPLE, { status: 'retired' });
      expectRefusal(await rows(), 'resource_retired');
    } finally {
      await setResource(w.codes.PEOPLE, { status: people.status });
    }
  });

  it('asks a member to accept the licence of 有条件开放 data it holds no grant on', async () => {
    const db = w.server.store.db;
    const { provider_id } = await db
      .selectFrom('resources')
      .select('provider_id')
      .where('code', '=', w.codes.PEOPLE)
      .executeTakeFirstOrThrow();
    const open = await buildSharedResource(db, provider_id, {
      sharingType: 'conditional',
      sharingMethods: ['api'],
      openType: 'conditional',
    });
    const read = () => call('analyst', 'GET', `/api/v1/resources/${open.code}/rows`);
    expectRefusal(await read(), 'licence_not_accepted');
    const accepted = await call('analyst', 'POST', `/api/v1/resources/${open.code}/licence-acceptance`, {});
    expect(accepted.statusCode, accepted.body).toBe(200);
    // Past the licence the refusal is the resource's own (it is bound to no source), no longer access.
    expect((await read()).json().error.code).not.toMatch(/licence_not_accepted|no_grant/);
  });

  it('refuses SQL too long or with forbidden table references', async () => {
    expectRefusal(await query(`SELECT xm FROM people -- ${'x'.repeat(100_000)}`), 'sql_too_long');
    expectRefusal(
      await query("SELECT * FROM people PIVOT (count(*) FOR qh IN ('350102'))"),
      'table_reference_forbidden',
    );
  });

  it('refuses to serve a resource whose source no longer matches its binding', async () => {
    const source = new pg.Client({ connectionString: SERVICES.postgres.url });
    await source.connect();
    const provider = () => call('provider', 'GET', `/api/v1/resources/${w.codes.HIDDEN}/rows`);
    try {
      await source.query(`ALTER TABLE "${w.schema}".hidden RENAME COLUMN bz TO bz_gone`);
      expectRefusal(await provider(), 'schema_drift');
    } finally {
      await source.query(`ALTER TABLE "${w.schema}".hidden RENAME COLUMN bz_gone TO bz`);
      await source.end();
    }
  });

  it('refuses to serve an item its binding does not map to a column', async () => {
    // As after an item is added to the resource and the provider has not rebound it yet.
    const db = w.server.store.db;
    const resource = await db
      .selectFrom('resources')
      .select('id')
      .where('code', '=', w.codes.HIDDEN)
      .executeTakeFirstOrThrow();
    const binding = await db
      .selectFrom('resource_bindings')
      .select('columns')
      .where('resource_id', '=', resource.id)
      .executeTakeFirstOrThrow();
    const setColumns = (columns: unknown) =>
      db
        .updateTable('resource_bindings')
        .set({ columns: JSON.stringify(columns) as never })
        .where('resource_id', '=', resource.id)
        .execute();
    try {
      await setColumns((binding.columns as Array<{ item: string }>).filter((c) => c.item !== '备注'));
      expectRefusal(
        await call('provider', 'GET', `/api/v1/resources/${w.codes.HIDDEN}/rows`),
        'item_not_bound',
      );
    } finally {
      await setColumns(binding.columns);
    }
  });

  it('releases nothing when the audit log cannot be written', async () => {
    await sql`ALTER TABLE audit_entries RENAME TO audit_entries_away`.execute(w.server.store.db);
    try {
      expectRefusal(await rows(), 'audit_unavailable');
    } finally {
      await sql`ALTER TABLE audit_entries_away RENAME TO audit_entries`.execute(w.server.store.db);
    }
  });
});
