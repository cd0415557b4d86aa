import { describe, expect, it } from 'vitest';
import { type AppError, ForbiddenError } from '../errors/index.js';
import type { AccessResource } from './access.js';
import { checkGrant, mostTelling, refuseCoreInClear } from './grant-check.js';
import type { GrantRow } from './grants.js';

// checkGrant and mostTelling are pure: these cases pin each condition at its boundary, without a
// store (resolve-access.test.ts covers the same rules through the store, on both kinds).
const NOW = new Date('2026-06-01T04:00:00Z');
const IP = '10.1.2.3';

const resource = (over: Partial<AccessResource> = {}): AccessResource =>
  ({
    id: 'r1',
    code: 'R-001',
    items: [{ name: '区划' }, { name: '姓名' }],
    sharingType: 'conditional',
    sharingMethods: ['api'],
    openType: 'not_open',
    grade: 'general',
    status: 'published',
    licence: '',
    provider: { id: 'p1' },
    ...over,
  }) as AccessResource;

const grant = (over: Partial<GrantRow> = {}): GrantRow =>
  ({
    id: 'g1',
    request_id: null,
    origin: 'request',
    auto_key: null,
    application_id: 'a1',
    consumer_org_id: 'c1',
    resource_id: 'r1',
    resource_code: 'R-001',
    provider_id: 'p1',
    items: [
      { name: '区划', mask: { kind: 'none' } },
      { name: '姓名', mask: { kind: 'name' } },
    ],
    row_filter: [{ item: '区划', op: 'eq', value: '350100' }],
    purpose: '核发证照',
    use: 'detail',
    valid_from: new Date(NOW.getTime() - 1000),
    valid_until: new Date(NOW.getTime() + 1000),
    calls_per_day: 10,
    rows_per_day: 100,
    allowed_ips: [],
    may_export: true,
    epsilon_per_day: null,
    epsilon_total: null,
    sandbox_epsilon: null,
    status: 'active',
    status_reason: '',
    created_by: null,
    created_at: NOW,
    updated_at: NOW,
    ...over,
  }) as GrantRow;

const codeOf = (outcome: unknown) => (outcome instanceof Error ? (outcome as AppError).code : 'access');

describe('checkGrant', () => {
  it('gives the grant’s items, row filter, purpose, use, quota and export right', () => {
    expect(checkGrant(grant(), resource(), IP, NOW)).toEqual({
      mode: 'grant',
      resourceCode: 'R-001',
      grantId: 'g1',
      purpose: '核发证照',
      use: 'detail',
      items: [
        { name: '区划', mask: { kind: 'none' } },
        { name: '姓名', mask: { kind: 'name' } },
      ],
      rowFilter: [{ item: '区划', op: 'eq', value: '350100' }],
      quota: { callsPerDay: 10, rowsPerDay: 100 },
      mayExport: true,
      privacyBudget: null,
      sandboxNoise: null,
    });
    expect(checkGrant(grant({ may_export: false }), resource(), IP, NOW)).toMatchObject({ mayExport: false });
    expect(checkGrant(grant({ calls_per_day: null, rows_per_day: null }), resource(), IP, NOW)).toMatchObject(
      {
        quota: null,
      },
    );
  });

  it('drops items the catalog no longer has, and keeps no more than the grant lists', () => {
    const outcome = checkGrant(
      grant(),
      resource({ items: [{ name: '区划' }, { name: '手机号码' }] as never }),
      IP,
      NOW,
    );
    expect(outcome).toMatchObject({ items: [{ name: '区划', mask: { kind: 'none' } }] });
  });

  it('parses a row filter stored as text, and refuses one that no longer parses rather than widen', () => {
    const text = JSON.stringify([{ item: '区划', op: 'in', values: ['350100'] }]);
    expect(checkGrant(grant({ row_filter: text as never }), resource(), IP, NOW)).toMatchObject({
      rowFilter: [{ item: '区划', op: 'in', values: ['350100'] }],
    });
    expect(() =>
      checkGrant(grant({ row_filter: [{ item: '区划', op: 'sql' }] }), resource(), IP, NOW),
    ).toThrow();
  });

  it('refuses a suspended or revoked grant, and no other status', () => {
    for (const status of ['suspended', 'revoked']) {
      const outcome = checkGrant(grant({ status }), resource(), IP, NOW);
      expect(outcome).toBeInstanceOf(ForbiddenError);
      expect(outcome).toMatchObject({
        status: 403,
        code: 'grant_revoked',
        message: `The grant is ${status}`,
      });
    }
    expect(codeOf(checkGrant(grant({ status: 'active' }), resource(), IP, NOW))).toBe('access');
  });

  it('starts at valid_from exactly and ends at valid_until exactly', () => {
    const at = (ms: number) => new Date(NOW.getTime() + ms);
    expect(codeOf(checkGrant(grant({ valid_from: NOW }), resource(), IP, NOW))).toBe('access');
    expect(checkGrant(grant({ valid_from: at(1) }), resource(), IP, NOW)).toMatchObject({
      code: 'grant_not_yet_valid',
      message: 'The grant is not valid yet',
    });
    expect(checkGrant(grant({ valid_until: at(-1) }), resource(), IP, NOW)).toMatchObject({
      code: 'grant_expired',
      message: 'The grant has expired',
    });
    expect(codeOf(checkGrant(grant({ valid_until: at(1) }), resource(), IP, NOW))).toBe('access');
    expect(codeOf(checkGrant(grant({ valid_until: NOW }), resource(), IP, NOW))).toBe('grant_expired');
    expect(codeOf(checkGrant(grant({ valid_until: null }), resource(), IP, NOW))).toBe('access');
    // Timestamps may come back from a store as text.
    expect(
      codeOf(checkGrant(grant({ valid_until: at(-1).toISOString() as never }), resource(), IP, NOW)),
    ).toBe('grant_expired');
  });

  it('refuses an address outside the allow-list', () => {
    const listed = grant({ allowed_ips: ['10.1.0.0/16'] });
    expect(codeOf(checkGrant(listed, resource(), '10.1.9.9', NOW))).toBe('access');
    const outcome = checkGrant(listed, resource(), '10.2.0.1', NOW);
    expect(outcome).toMatchObject({
      status: 403,
      code: 'ip_not_allowed',
      message: 'The grant does not allow calls from this address',
    });
  });

  it('refuses core data in clear, and lets its aggregates and checks through', () => {
    const core = resource({ grade: 'core' });
    expect(checkGrant(grant(), core, IP, NOW)).toMatchObject({
      status: 403,
      code: 'core_data_not_releasable',
    });
    expect(checkGrant(grant({ use: 'statistics' }), core, IP, NOW)).toMatchObject({ use: 'statistics' });
    expect(checkGrant(grant({ use: 'verification' }), core, IP, NOW)).toMatchObject({ use: 'verification' });
    expect(() => refuseCoreInClear(resource({ grade: 'important' }), 'detail')).not.toThrow();
    expect(() => refuseCoreInClear(core, 'detail')).toThrow(
      expect.objectContaining({
        code: 'core_data_not_releasable',
        message: expect.stringContaining('Core data'),
      }),
    );
  });
});

describe('mostTelling', () => {
  const error = (code: string) => new ForbiddenError(code, code as never);
  it('names a wrong address before core data, a period before a withdrawn grant', () => {
    const order = [
      'ip_not_allowed',
      'core_data_not_releasable',
      'grant_not_yet_valid',
      'grant_expired',
      'grant_revoked',
    ];
    for (let i = 0; i < order.length; i++) {
      const rest = order.slice(i);
      // Whatever order the grants come in.
      expect(mostTelling([...rest].reverse().map(error))?.code).toBe(order[i]);
      expect(mostTelling(rest.map(error))?.code).toBe(order[i]);
    }
    expect(mostTelling([])).toBeUndefined();
  });

  it('does not reorder its argument', () => {
    const errors = [error('grant_revoked'), error('ip_not_allowed')];
    mostTelling(errors);
    expect(errors.map((e) => e.code)).toEqual(['grant_revoked', 'ip_not_allowed']);
  });
});
