import jsonld from 'jsonld';
import { describe, expect, it } from 'vitest';
import { grantToOdrl } from './odrl.js';
import type { GrantView } from './schemas.js';

// The W3C ODRL context's definitions of the terms a grant uses (w3.org/ns/odrl.jsonld, as
// fixed in 2025: `uid` is an alias of @id); tests run offline, so the loader serves these.
const ODRL_CONTEXT = {
  '@context': {
    odrl: 'http://www.w3.org/ns/odrl/2/',
    xsd: 'http://www.w3.org/2001/XMLSchema#',
    uid: '@id',
    type: '@type',
    Agreement: 'odrl:Agreement',
    target: { '@type': '@id', '@id': 'odrl:target' },
    assignee: { '@type': '@id', '@id': 'odrl:assignee' },
    assigner: { '@type': '@id', '@id': 'odrl:assigner' },
    action: { '@type': '@vocab', '@id': 'odrl:action' },
    permission: { '@type': '@id', '@id': 'odrl:permission' },
    prohibition: { '@type': '@id', '@id': 'odrl:prohibition' },
    duty: { '@type': '@id', '@id': 'odrl:duty' },
    use: 'odrl:use',
    anonymize: 'odrl:anonymize',
    distribute: 'odrl:distribute',
    constraint: { '@type': '@id', '@id': 'odrl:constraint' },
    operator: { '@type': '@vocab', '@id': 'odrl:operator' },
    rightOperand: 'odrl:rightOperand',
    leftOperand: { '@type': '@vocab', '@id': 'odrl:leftOperand' },
    count: 'odrl:count',
    dateTime: 'odrl:dateTime',
    purpose: 'odrl:purpose',
    timeInterval: 'odrl:timeInterval',
    eq: 'odrl:eq',
    gteq: 'odrl:gteq',
    lteq: 'odrl:lteq',
  },
};
const documentLoader = async (url: string) => {
  if (url !== 'http://www.w3.org/ns/odrl.jsonld') throw new Error(`offline: ${url}`);
  return { contextUrl: null, documentUrl: url, document: ODRL_CONTEXT };
};

// Expanded JSON-LD is walked by path in the assertions below.
// biome-ignore lint/suspicious/noExplicitAny: a JSON-LD tree of unknown shape
type Expanded = Record<string, any>;

const GRANT: GrantView = {
  id: '7f3c0000-0000-4000-8000-000000000001',
  origin: 'request',
  requestId: '7f3c0000-0000-4000-8000-000000000002',
  applicationId: '7f3c0000-0000-4000-8000-000000000003',
  consumerOrgId: '7f3c0000-0000-4000-8000-000000000004',
  resourceId: '7f3c0000-0000-4000-8000-000000000005',
  resourceCode: '101001-ABC-0001',
  providerId: '7f3c0000-0000-4000-8000-000000000006',
  items: [
    { name: '姓名', mask: { kind: 'name' } },
    { name: '身份证号', mask: { kind: 'id-number' } },
    { name: '区划', mask: { kind: 'none' } },
  ],
  rowFilter: [],
  purpose: '办理社保业务',
  use: 'detail',
  validFrom: '2025-01-01T00:00:00.000Z',
  validUntil: '2025-12-31T16:00:00.000Z',
  quota: { callsPerDay: 10, rowsPerDay: 100 },
  allowedIps: [],
  mayExport: false,
  privacyBudget: null,
  sandboxNoise: null,
  status: 'active',
  statusReason: '',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  names: { resource: null, provider: null, consumer: null, application: null },
};
const O = 'http://www.w3.org/ns/odrl/2/';

describe('grants as ODRL 2.2 Agreements', () => {
  it('names the parties, target and constraints in the compact form of formats.md §4', () => {
    const doc = grantToOdrl(GRANT, 'https://hub.example.gov.cn/');
    expect(doc).toMatchObject({
      '@context': 'http://www.w3.org/ns/odrl.jsonld',
      '@type': 'Agreement',
      uid: `https://hub.example.gov.cn/api/v1/grants/${GRANT.id}`,
      assigner: `https://hub.example.gov.cn/api/v1/organizations/${GRANT.providerId}`,
      assignee: `https://hub.example.gov.cn/api/v1/applications/${GRANT.applicationId}`,
      target: 'https://hub.example.gov.cn/api/v1/resources/101001-ABC-0001',
      prohibition: [{ action: 'distribute' }],
    });
    const organisation = grantToOdrl(
      { ...GRANT, applicationId: null, quota: null, validUntil: null },
      'https://h',
    );
    expect(organisation.assignee).toBe(`https://h/api/v1/organizations/${GRANT.consumerOrgId}`);
    const [permission] = organisation.permission as Array<{ constraint: unknown[] }>;
    expect(permission!.constraint).toHaveLength(2); // purpose and start only
  });

  it('expands to ODRL IRIs with nothing dropped', async () => {
    const doc = grantToOdrl(GRANT, 'https://hub.example.gov.cn');
    const [expanded] = (await jsonld.expand(doc as never, {
      documentLoader: documentLoader as never,
    })) as Expanded[];
    expect(expanded!['@type']).toEqual([`${O}Agreement`]);
    expect(expanded!['@id']).toBe(doc.uid);
    expect(expanded![`${O}assigner`]).toEqual([{ '@id': doc.assigner }]);
    expect(expanded![`${O}assignee`]).toEqual([{ '@id': doc.assignee }]);
    expect(expanded![`${O}target`]).toEqual([{ '@id': doc.target }]);
    const [permission] = expanded![`${O}permission`];
    expect(permission[`${O}action`]).toEqual([{ '@id': `${O}use` }]);
    const constraints = permission[`${O}constraint`].map((c: Expanded) => [
      c[`${O}leftOperand`][0]['@id'],
      c[`${O}operator`][0]['@id'],
      c[`${O}rightOperand`][0]['@value'],
    ]);
    expect(constraints).toEqual([
      [`${O}purpose`, `${O}eq`, '办理社保业务'],
      [`${O}dateTime`, `${O}gteq`, GRANT.validFrom],
      [`${O}dateTime`, `${O}lteq`, GRANT.validUntil],
      [`${O}timeInterval`, `${O}eq`, 'P1D'],
      [`${O}count`, `${O}lteq`, '10'],
    ]);
    const duties = permission[`${O}duty`].map((d: Expanded) => d[`${O}action`][0]['@id']);
    expect(duties).toEqual([`${O}anonymize`, `${O}anonymize`]); // 姓名 and 身份证号 are masked
    expect(expanded![`${O}prohibition`][0][`${O}action`]).toEqual([{ '@id': `${O}distribute` }]);
    // Nothing dropped: every key of the document and of its permission survives expansion.
    const permissionKeys = Object.keys((doc.permission as object[])[0]!).length;
    expect(Object.keys(expanded!).length).toBe(Object.keys(doc).length - 1);
    expect(Object.keys(permission).length).toBe(permissionKeys);
  });
});
