import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSharedResource, buildSharingOrgs, TEST_PASSWORD } from '../../../test/support/factories.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from '../../../test/support/http.js';
import { expectRefusal } from '../../../test/support/refusals.js';
import { describeEachStore } from '../../../test/support/store.js';
import type { ResourceView } from '../../catalog/index.js';
import { computeAssessment } from '../../governance/index.js';

// The monthly assessment (月度考核, docs/governance.md): indicators per department, who sees
// which, the month kept at its close, XLSX and PDF exports.
describeEachStore('assessment routes', (kind) => {
  let server: TestServer;
  let world: Awaited<ReturnType<typeof buildSharingOrgs>>;
  let resource: ResourceView;
  const as: Record<string, Credentials> = {};

  beforeAll(async () => {
    server = await openTestServer(kind);
    world = await buildSharingOrgs(server.store.db);
    for (const side of ['provider', 'consumer'] as const)
      for (const [role, user] of Object.entries(world[side].users))
        as[`${side}.${role}`] = await loginAs(server.app, user.username, TEST_PASSWORD);
    as.admin = await loginAs(server.app, world.platformAdmin.username, TEST_PASSWORD);
    as.auditor = await loginAs(server.app, world.auditor.username, TEST_PASSWORD);
    resource = await buildSharedResource(server.store.db, world.provider.org.id, {
      sharingType: 'conditional',
    });
    // Published in August 2025, so that the months assessed below know it.
    const published = new Date('2025-08-01T02:00:00Z');
    await sql`update resources set published_at = ${published} where id = ${resource.id}`.execute(
      server.store.db,
    );
    await sql`update resource_versions set published_at = ${published} where resource_id = ${resource.id}`.execute(
      server.store.db,
    );
    // An objection filed 9 Oct and answered the next day (on time), one filed 13 Oct never
    // answered (5 working days: due 20 Oct); a quality run of 80 on 15 Oct.
    for (const [filed, answered] of [
      ['2025-10-09T02:00:00Z', '2025-10-10T02:00:00Z'],
      ['2025-10-13T02:00:00Z', null],
    ] as const)
      await server.store.db
        .insertInto('objections')
        .values({
          id: randomUUID(),
          resource_id: resource.id,
          resource_code: resource.code,
          resource_name: resource.name,
          provider_id: world.provider.org.id,
          consumer_id: world.consumer.org.id,
          raised_by: world.consumer.users.analyst.id,
          key_column: 'qh',
          row_keys: JSON.stringify(['350102']),
          items: JSON.stringify(['区划']),
          description: '区划有误',
          expected: '350103',
          evidence: '',
          status: answered ? 'corrected' : 'open',
          created_at: new Date(filed),
          filed_at: new Date(filed),
          answered_at: answered ? new Date(answered) : null,
          closed_at: null,
          updated_at: new Date(answered ?? filed),
          history: JSON.stringify([]),
        })
        .execute();
    const ran = new Date('2025-10-15T02:00:00Z');
    await server.store.db
      .insertInto('quality_runs')
      .values({
        id: randomUUID(),
        resource_id: resource.id,
        org_id: world.provider.org.id,
        trigger: 'schedule',
        status: 'succeeded',
        score: 80,
        error_code: null,
        results: JSON.stringify([]),
        started_at: ran,
        finished_at: ran,
      })
      .execute();
    // Two requests filed in October 2025 (国庆): one answered on time, one never answered (due 21 Oct).
    const onTime = await file('2025-09-30T02:00:00Z', 'approve', '2025-10-10T02:00:00Z');
    await file('2025-10-09T02:00:00Z');
    expect(onTime).toBeTruthy();
  });
  afterAll(() => server.close());

  const call = (who: string, url: string) =>
    server.app.inject({ method: 'GET', url, headers: as[who]?.headers ?? {} });

  /** Files a request at `filedAt`; decides it at `decidedAt` when asked. */
  async function file(filedAt: string, decide?: 'approve', decidedAt?: string) {
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/access-requests',
      headers: as['consumer.analyst']!.headers,
      payload: {
        applicationId: world.key.application.id,
        resourceCode: resource.code,
        items: ['姓名'],
        purpose: '核对身份',
        legalBasis: '《社会保险法》',
        validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    const id = response.json().id as string;
    const at = new Date(filedAt);
    await sql`update access_requests set created_at = ${at}, updated_at = ${at}, waiting_since = ${at} where id = ${id}`.execute(
      server.store.db,
    );
    if (decide) {
      const decided = await server.app.inject({
        method: 'POST',
        url: `/api/v1/access-requests/${id}/approve`,
        headers: as['provider.data_steward']!.headers,
        payload: {},
      });
      expect(decided.statusCode, decided.body).toBe(200);
      await sql`update access_requests set updated_at = ${new Date(decidedAt!)} where id = ${id}`.execute(
        server.store.db,
      );
    }
    return id;
  }

  const providerOf = (report: { departments: { orgId: string }[] }) =>
    report.departments.find((d) => d.orgId === world.provider.org.id) as
      | { score: number; rank: number; indicators: { key: string; score: number | null; detail: object }[] }
      | undefined;

  it('scores each department on the month’s requests, its catalog and the use of its resources', async () => {
    const response = await call('auditor', '/api/v1/governance/assessments?month=2025-10');
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json();
    expect(report).toMatchObject({ month: '2025-10', final: true, from: '2025-09-30T16:00:00.000Z' });
    const provider = providerOf(report)!;
    const indicator = (key: string) => provider.indicators.find((i) => i.key === key)!;
    // Answered 10 Oct (filed 30 Sept, due 21 Oct): on time, in 2 working days (9 and 10 Oct, after
    // 国庆); filed 9 Oct, due 23 Oct, unanswered: overdue.
    expect(indicator('request_response')).toMatchObject({
      score: 50,
      detail: { answered: 1, onTime: 1, overdue: 1, averageWorkingDays: 2 },
    });
    // In September the first was still running at the month's end: nothing to score.
    const september = providerOf(
      (await call('auditor', '/api/v1/governance/assessments?month=2025-09')).json(),
    );
    expect(september?.indicators.find((i) => i.key === 'request_response')?.score ?? null).toBeNull();
    // The factory's entry has a summary and a contact, no item descriptions, legal basis or keywords.
    expect(indicator('catalog_completeness')).toMatchObject({ detail: { entries: 1, complete: 0 } });
    expect(indicator('catalog_timeliness')).toMatchObject({ score: 100, detail: { entries: 1, current: 1 } });
    expect(indicator('resource_use')).toMatchObject({ score: 0, detail: { resources: 1, used: 0 } });
    expect(indicator('objections')).toMatchObject({
      score: 50,
      detail: { answered: 1, onTime: 1, overdue: 1, averageWorkingDays: 1 },
    });
    expect(indicator('data_quality')).toMatchObject({ score: 80, detail: { resources: 1 } });
    expect(provider.score).toBeGreaterThanOrEqual(0);
    expect(provider.rank).toBeGreaterThanOrEqual(1);
  });

  it('keeps a closed month as it stood at its close', async () => {
    const first = (await call('admin', '/api/v1/governance/assessments?month=2025-11')).json();
    await file('2025-11-03T02:00:00Z');
    const again = (await call('admin', '/api/v1/governance/assessments?month=2025-11')).json();
    expect(again).toEqual(first);
    const fresh = await computeAssessment(server.store.db, '2025-11');
    // Filed 3 Nov 2025, due 17 Nov, never answered: the month computed afresh counts it, the kept one not.
    const response = (r: typeof first) =>
      providerOf(r)?.indicators.find((i) => i.key === 'request_response')?.detail ?? {};
    expect(response(fresh)).toMatchObject({ overdue: 1 });
    expect(response(again)).not.toMatchObject({ overdue: 1 });
  });

  it('shows an organisation’s administrator its own department only, and refuses others', async () => {
    const own = await call('provider.org_admin', '/api/v1/governance/assessments?month=2025-10');
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().departments.map((d: { orgId: string }) => d.orgId)).toEqual([world.provider.org.id]);
    expectRefusal(
      await call(
        'consumer.org_admin',
        `/api/v1/governance/assessments?month=2025-10&orgId=${world.provider.org.id}`,
      ),
      'not_found',
    );
    expectRefusal(
      await call('provider.analyst', '/api/v1/governance/assessments?month=2025-10'),
      'forbidden',
    );
    expectRefusal(await call('admin', '/api/v1/governance/assessments?month=2025-13'), 'invalid_request');
    expectRefusal(await call('admin', '/api/v1/governance/assessments?month=2999-01'), 'invalid_period');
  });

  it('exports the month as XLSX with every indicator, and as PDF', async () => {
    const xlsx = await call('auditor', '/api/v1/governance/assessments/export?month=2025-10&format=xlsx');
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as never);
    const summary = book.getWorksheet('考核汇总')!;
    expect(summary.getRow(1).getCell(1).value).toContain('2025年10月');
    expect(summary.getRow(2).values).toContain('申请响应（25）');
    const names = summary.getColumn(2).values;
    expect(names).toContain(world.provider.org.name);
    expect(book.getWorksheet('指标说明')!.getColumn(1).values).toContain('数据质量');
    // Each indicator's figures in Chinese, the response time among them.
    const figures = book.getWorksheet('指标明细')!.getColumn(5).values.map(String);
    expect(figures).toContain('本月答复 1 · 按时答复 1 · 到期未答复 1 · 平均办理工作日 2');
    const pdf = await call('auditor', '/api/v1/governance/assessments/export?month=2025-10&format=pdf');
    expect(pdf.statusCode, pdf.body.slice(0, 300)).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    // One page for the ranking and one per department.
    const pages = pdf.rawPayload.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expectRefusal(
      await call('auditor', '/api/v1/governance/assessments/export?month=2025-10&format=docx'),
      'invalid_request',
    );
  });

  it('refuses a PDF with a clear code when the server has no Chinese font', async () => {
    const fontless = await openTestServer(kind, { HUITONG_PDF_FONT: '/nonexistent/font.ttf' }, server);
    try {
      const login = await loginAs(fontless.app, world.auditor.username, TEST_PASSWORD);
      const pdf = await fontless.app.inject({
        method: 'GET',
        url: '/api/v1/governance/assessments/export?month=2025-10&format=pdf',
        headers: login.headers,
      });
      expectRefusal(pdf, 'pdf_font_unavailable');
    } finally {
      await fontless.close();
    }
  });
});
