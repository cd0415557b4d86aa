import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildOrganization,
  buildResource,
  buildUser,
  TEST_PASSWORD,
} from '../../../../test/support/factories.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from '../../../../test/support/http.js';
import { describeEachStore } from '../../../../test/support/store.js';
import type { ResourceView } from '../../../catalog/index.js';
import type { OrganizationView } from '../../../identity/index.js';

describeEachStore('CKAN Action API', (kind) => {
  let server: TestServer;
  let police: OrganizationView;
  let power: OrganizationView;
  let member: Credentials;
  let population: ResourceView;
  let electricity: ResourceView;
  let secret: ResourceView;
  beforeAll(async () => {
    server = await openTestServer(kind);
    const db = server.store.db;
    police = await buildOrganization(db);
    power = await buildOrganization(db);
    const open = { openType: 'unconditional' as const };
    population = await buildResource(
      db,
      police.id,
      { name: '常住人口基本信息', tags: ['人口', '户籍'], ...open, licence: 'CC-BY-4.0' },
      { publish: true },
    );
    await buildResource(db, police.id, { name: '人口迁移记录', tags: ['人口'], ...open }, { publish: true });
    electricity = await buildResource(
      db,
      power.id,
      { name: '企业用电量', tags: ['能源'], format: 'XLSX', sharingMethods: ['api', 'file'], ...open },
      { publish: true },
    );
    await buildResource(db, power.id, { name: '用户用电明细' }, { publish: true }); // shared with members, not open
    secret = await buildResource(
      db,
      police.id,
      { name: '涉密人口', sharingType: 'not_shared', sharingMethods: [], legalBasis: '法律' },
      { publish: true },
    );
    const user = await buildUser(db, { roles: ['analyst'] });
    member = await loginAs(server.app, user.username, TEST_PASSWORD);
  });
  afterAll(() => server.close());

  const action = async (name: string, params: Record<string, string> = {}, as?: Credentials) => {
    const qs = new URLSearchParams(params).toString();
    const response = await server.app.inject({
      url: `/api/3/action/${name}${qs ? `?${qs}` : ''}`,
      headers: as?.headers,
    });
    return { status: response.statusCode, body: response.json() };
  };

  it('wraps every answer in the help/success/result envelope', async () => {
    const { status, body } = await action('status_show');
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, result: { ckan_version: expect.stringMatching(/^2\./) } });
    expect(body.help).toMatch(/\/api\/3\/action\/help_show\?name=status_show$/);
    const help = await action('help_show', { name: 'package_search' });
    expect(help.body.result).toContain('fq');
  });

  it('searches with q, fq, rows, start, sort and facet.field, as anonymous over open data', async () => {
    const { body } = await action('package_search', {
      q: '人口',
      fq: `organization:${police.id}`,
      rows: '1',
      start: '0',
      sort: 'name asc',
      'facet.field': JSON.stringify(['organization', 'tags', 'res_format']),
    });
    expect(body.success).toBe(true);
    const result = body.result;
    expect(result.count).toBe(2);
    expect(result.results).toHaveLength(1);
    expect(result.sort).toBe('name asc');
    expect(result.facets.organization).toEqual({ [police.id]: 2 });
    expect(result.facets.tags).toEqual({ 人口: 2, 户籍: 1 });
    expect(result.search_facets.organization).toEqual({
      title: 'organization',
      items: [{ count: 2, display_name: police.name, name: police.id }],
    });
    const next = await action('package_search', {
      q: '人口',
      fq: `organization:${police.id}`,
      rows: '1',
      start: '1',
      sort: 'name asc',
    });
    expect(next.body.result.results[0].name).not.toBe(result.results[0].name);
    expect(next.body.result.facets).toEqual({});
    const tagged = await action('package_search', { fq: 'tags:能源 res_format:XLSX' });
    expect(tagged.body.result.results.map((p: { title: string }) => p.title)).toEqual(['企业用电量']);
    const all = await action('package_search', { q: '*:*', rows: '1000' });
    expect(all.body.result.count).toBe(3);
    const members = await action('package_search', { q: '*:*' }, member);
    expect(members.body.result.count).toBe(4);
  });

  it('shows a package, its resources, its organisation and the lists', async () => {
    const pkg = await action('package_show', { id: population.code.toLowerCase() });
    expect(pkg.body.result).toMatchObject({
      id: population.id,
      name: population.code.toLowerCase(),
      title: '常住人口基本信息',
      notes: population.summary,
      owner_org: police.id,
      organization: { id: police.id, title: police.name, is_organization: true },
      license_id: 'CC-BY-4.0',
      state: 'active',
      num_resources: 2,
    });
    expect(pkg.body.result.tags.map((t: { name: string }) => t.name)).toEqual(['人口', '户籍']);
    expect(pkg.body.result.extras).toContainEqual({ key: 'sharing_type', value: 'unconditional' });
    expect((await action('package_show', { id: population.id })).body.result.name).toBe(
      population.code.toLowerCase(),
    );
    const res = pkg.body.result.resources[0];
    expect((await action('resource_show', { id: res.id })).body.result).toEqual(res);
    const list = await action('package_list');
    expect(list.body.result).toHaveLength(3);
    expect(list.body.result).toContain(electricity.code.toLowerCase());
    expect((await action('package_list', { limit: '1', offset: '1' })).body.result).toHaveLength(1);
    const orgs = await action('organization_list');
    expect(orgs.body.result.sort()).toEqual([police.id, power.id].sort());
    const full = await action('organization_list', { all_fields: 'true' });
    expect(full.body.result.find((o: { id: string }) => o.id === police.id).package_count).toBe(2);
    const org = await action('organization_show', { id: power.id, include_datasets: 'true' });
    expect(org.body.result).toMatchObject({ id: power.id, title: power.name, package_count: 1 });
    expect(org.body.result.packages).toHaveLength(1);
    expect((await action('tag_list')).body.result).toEqual(['人口', '户籍', '能源']);
    expect((await action('tag_list', { query: '能' })).body.result).toEqual(['能源']);
  });

  it('keeps the envelope for errors, and hides what the caller may not see', async () => {
    const missing = await action('package_show', { id: 'no-such-package' });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      help: expect.stringContaining('package_show'),
      success: false,
      error: { __type: 'Not Found Error', message: 'Not found' },
    });
    expect((await action('package_show', { id: secret.code.toLowerCase() }, member)).status).toBe(404);
    const badFq = await action('package_search', { fq: 'colour:red' });
    expect([badFq.status, badFq.body.error.__type]).toEqual([409, 'Search Query Error']);
    const badRows = await action('package_search', { rows: '5000' });
    expect([badRows.status, badRows.body.error.__type]).toEqual([409, 'Validation Error']);
    const unknown = await action('package_create');
    expect([unknown.status, unknown.body.success, unknown.body.error.__type]).toEqual([
      400,
      false,
      'Bad Request',
    ]);
    const noId = await action('package_show');
    expect(noId.body.error).toMatchObject({ __type: 'Validation Error', id: [expect.any(String)] });
    const badKey = await server.app.inject({
      url: '/api/3/action/package_list',
      headers: { authorization: 'not-a-key' },
    });
    expect(badKey.json()).toMatchObject({ success: false, error: { __type: 'Authorization Error' } });
  });

  it('accepts POST with a JSON body', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/3/action/package_search',
      payload: { q: '用电', rows: 5, 'facet.field': ['organization'] },
    });
    expect(response.json().result).toMatchObject({ count: 1, facets: { organization: { [power.id]: 1 } } });
  });
});
