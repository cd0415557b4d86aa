import { describe, expect, it } from 'vitest';
import type { ResourceView } from '../catalog/index.js';
import type { Access } from '../sharing/index.js';
import { checkUse, RowsQuerySchema, releaseDetails } from './rows.js';
import type { SecureView } from './secure-view.js';

// The checks and the audit details of a delivery, without a server (query.test.ts and
// sharing-enforcement.test.ts assert the same refusals through the API).
const view = (code: string, access: Partial<Access>, methods: string[] = ['api', 'file']): SecureView =>
  ({
    resource: { code, sharingMethods: methods } as unknown as ResourceView,
    access: {
      mode: 'grant',
      resourceCode: code,
      grantId: 'g-1',
      purpose: '核发证照',
      use: 'detail',
      items: [],
      rowFilter: [],
      quota: null,
      mayExport: true,
      ...access,
    },
    binding: {} as never,
    columns: [
      { name: 'xm', item: '姓名', source: 'c1', type: 'string', mask: { kind: 'name' } },
      { name: 'qh', item: '区划', source: 'c2', type: 'string', mask: { kind: 'none' } },
    ],
    rowFilter: [],
  }) as SecureView;

describe('checkUse', () => {
  const refusal = (v: SecureView, format: string) => {
    try {
      checkUse(v, format);
      return null;
    } catch (error) {
      return (error as { code: string }).code;
    }
  };

  it('lets a detail grant read pages, and files when it may export and the resource offers files', () => {
    expect(refusal(view('R-1', {}), 'json')).toBeNull();
    expect(refusal(view('R-1', {}), 'csv')).toBeNull();
    expect(refusal(view('R-1', { mayExport: false }), 'json')).toBeNull();
  });

  it('refuses files to a grant without export, and any format to a grant for other uses', () => {
    for (const format of ['csv', 'ndjson', 'xlsx', 'parquet', 'arrow'])
      expect(refusal(view('R-1', { mayExport: false }), format), format).toBe('export_not_allowed');
    for (const use of ['statistics', 'verification'] as const) {
      expect(refusal(view('R-1', { use }), 'json'), use).toBe('detail_not_allowed');
      expect(refusal(view('R-1', { use, mayExport: false }), 'csv'), use).toBe('detail_not_allowed');
    }
    expect(() => checkUse(view('R-1', { mayExport: false }), 'csv')).toThrow(
      'This grant does not allow file exports',
    );
    expect(() => checkUse(view('R-1', { use: 'statistics' }), 'json')).toThrow(
      'R-1 may only be used for statistics',
    );
  });

  it('refuses a method the resource does not offer before anything else', () => {
    expect(refusal(view('R-1', {}, ['file']), 'json')).toBe('method_not_offered');
    expect(refusal(view('R-1', { use: 'verification' }, ['verification']), 'json')).toBe(
      'method_not_offered',
    );
    expect(refusal(view('R-1', {}, ['api']), 'csv')).toBe('method_not_offered');
    expect(refusal(view('R-1', { mayExport: false }, ['api']), 'csv')).toBe('method_not_offered');
  });
});

describe('releaseDetails', () => {
  const caller = {
    actor: { kind: 'user' as const, userId: 'u1', orgId: 'o1', username: 'a', roles: ['analyst' as const] },
    ip: '10.0.0.1',
    requestId: 'req-1',
  };

  it('names the caller and its address, request, resources, items read, grant, purpose, query and format', () => {
    expect(releaseDetails(caller, [view('R-1', {})], 'rows {}', 'csv')).toEqual({
      actor: { kind: 'user', id: 'u1', orgId: 'o1' },
      requestId: 'req-1',
      resources: ['R-1'],
      items: { 'R-1': ['姓名', '区划'] },
      grantId: 'g-1',
      purpose: '核发证照',
      query: 'rows {}',
      format: 'csv',
      // The early-warning detectors read it (a key used from a new address).
      ip: '10.0.0.1',
    });
  });

  it('lists every grant and each purpose once for a query over several resources', () => {
    const views = [
      view('R-1', { grantId: 'g-1' }),
      view('R-2', { grantId: null, purpose: '数据开放' }),
      view('R-3', { grantId: 'g-3' }),
    ];
    expect(releaseDetails(caller, views, 'SELECT 1', 'json')).toMatchObject({
      resources: ['R-1', 'R-2', 'R-3'],
      grantId: 'g-1,g-3',
      purpose: '核发证照; 数据开放',
    });
    const open = [view('R-1', { grantId: null }), view('R-2', { grantId: null })];
    expect(releaseDetails(caller, open, 'SELECT 1', 'json').grantId).toBeNull();
    expect(releaseDetails(caller, [view('R-1', { grantId: null })], 'x', 'json').grantId).toBeNull();
  });
});

describe('RowsQuerySchema', () => {
  it('bounds the page size and the parameters’ lengths', () => {
    expect(RowsQuerySchema.parse({})).toEqual({ format: 'json' });
    expect(RowsQuerySchema.parse({ limit: '1000' }).limit).toBe(1000);
    for (const bad of [{ limit: '0' }, { limit: '1001' }, { limit: '2.5' }, { other: '1' }, { bom: 'yes' }])
      expect(RowsQuerySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });
});
