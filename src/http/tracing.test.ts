import { createServer, type Server } from 'node:http';
import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiKey,
  buildOrganization,
  buildResource,
  buildUser,
  TEST_PASSWORD,
} from '../../test/support/factories.js';
import {
  bearer,
  type Credentials,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../test/support/http.js';
import { until } from '../../test/support/poll.js';
import { REQUEST_ID_ATTRIBUTE, startTracing, type Tracing } from '../observability/index.js';

// OTLP/HTTP with JSON bodies, received by a collector of a few lines: the spans of a data request
// (authenticate → plan → enforce → audit → execute → deliver → audit) under the request's own span,
// one trace, each carrying the request id on the request span.

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: Array<{ key: string; value: { stringValue?: string; intValue?: string | number } }>;
}

const CSV = 'qh,mc\n350102,鼓楼区\n350103,台江区\n';

describe('tracing over OTLP/HTTP', () => {
  const received: OtlpSpan[] = [];
  const paths: string[] = [];
  let collector: Server;
  let tracing: Tracing | undefined;
  let server: TestServer;
  let analyst: Credentials;
  let code: string;
  const saved = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;

  beforeAll(async () => {
    collector = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        paths.push(`${request.method} ${request.url} ${request.headers['content-type']}`);
        const payload = JSON.parse(body) as {
          resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
        };
        for (const resource of payload.resourceSpans)
          for (const scope of resource.scopeSpans) received.push(...scope.spans);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    // Unset, nothing is registered: the API keeps its no-op tracer.
    expect(await startTracing({})).toBeUndefined();
    expect(trace.getTracer('huitong').startSpan('x').isRecording()).toBe(false);
    const { port } = collector.address() as { port: number };
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${port}`;
    tracing = await startTracing(process.env);

    server = await openTestServer('pglite');
    const db = server.store.db;
    const provider = await buildOrganization(db, { name: `追踪-提供方-${Date.now()}` });
    const consumer = await buildOrganization(db, { name: `追踪-使用方-${Date.now()}` });
    const steward = await loginAs(
      server.app,
      (await buildUser(db, { orgId: provider.id, roles: ['data_steward'] })).username,
      TEST_PASSWORD,
    );
    analyst = bearer((await buildApiKey(db, consumer.id)).key);
    const upload = await server.app.inject({
      method: 'POST',
      url: '/api/v1/sources/files?name=trace',
      headers: { ...steward.headers, 'content-type': 'text/csv' },
      payload: CSV,
    });
    expect(upload.statusCode, upload.body).toBe(201);
    code = (
      await buildResource(
        db,
        provider.id,
        {
          items: [
            { name: '区划', field: 'qh', dataType: 'string' },
            { name: '名称', field: 'mc', dataType: 'string' },
          ],
          sharingType: 'unconditional',
          sharingMethods: ['api', 'file', 'verification'],
        },
        { publish: true },
      )
    ).code;
    const bound = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/resources/${code}/binding`,
      headers: steward.headers,
      payload: { sourceId: upload.json().source.id, from: { kind: 'table', table: 'data' } },
    });
    expect(bound.statusCode, bound.body).toBe(200);
  });

  afterAll(async () => {
    await server?.close();
    await tracing?.shutdown();
    if (saved === undefined) delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    else process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved;
    await new Promise((resolve) => collector?.close(resolve));
  });

  const spansOf = async (requestId: string, expected: number) => {
    await tracing!.flush();
    const root = await until(`the request span of ${requestId}`, () =>
      received.find((s) =>
        s.attributes?.some((a) => a.key === REQUEST_ID_ATTRIBUTE && a.value.stringValue === requestId),
      ),
    );
    const children = await until(`${expected} spans under ${requestId}`, async () => {
      await tracing!.flush();
      const found = received.filter((s) => s.traceId === root.traceId && s.spanId !== root.spanId);
      return found.length >= expected ? found : undefined;
    });
    return { root, children };
  };

  it('exports the stages of a JSON rows request under its request span, with the request id', async () => {
    expect(tracing).toBeDefined();
    expect(trace.getTracer('huitong').startSpan('x').isRecording()).toBe(true);
    const requestId = 'trace-rows-json-1';
    const response = await server.app.inject({
      url: `/api/v1/resources/${code}/rows`,
      headers: { ...analyst.headers, 'x-request-id': requestId },
    });
    expect(response.statusCode, response.body).toBe(200);
    const { root, children } = await spansOf(requestId, 7);
    expect(root.name).toBe('GET /api/v1/resources/:code/rows');
    expect(root.parentSpanId ?? '').toBe('');
    expect(children.map((s) => s.name).sort()).toEqual(
      ['audit', 'audit', 'authenticate', 'deliver', 'enforce', 'execute', 'plan'].sort(),
    );
    for (const span of children) expect(span.parentSpanId, span.name).toBe(root.spanId);
    expect(paths[0]).toMatch(/^POST \/v1\/traces application\/json/);
  });

  it('ties a streamed file’s delivery and completion entry to its request though the socket pulls it later', async () => {
    const requestId = 'trace-rows-csv-1';
    const response = await server.app.inject({
      url: `/api/v1/resources/${code}/rows?format=csv`,
      headers: { ...analyst.headers, 'x-request-id': requestId },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).toContain('鼓楼区');
    const { root, children } = await spansOf(requestId, 7);
    const names = children.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['authenticate', 'plan', 'enforce', 'execute', 'deliver']));
    expect(names.filter((n) => n === 'audit')).toHaveLength(2);
    for (const span of children) expect(span.parentSpanId, span.name).toBe(root.spanId);
  });

  it('traces a verification’s read of the source as its execute stage, between its two audit entries', async () => {
    const requestId = 'trace-verify-1';
    const response = await server.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${code}/verify`,
      headers: { ...analyst.headers, 'x-request-id': requestId },
      payload: { values: { 区划: '350102', 名称: '鼓楼区' } },
    });
    expect(response.statusCode, response.body).toBe(200);
    const { children } = await spansOf(requestId, 4);
    expect(response.json()).toEqual({ match: true });
    expect(children.map((s) => s.name).sort()).toEqual(['audit', 'audit', 'authenticate', 'execute']);
  });

  it('traces a SQL answer’s stages, in JSON and in each kind of file', async () => {
    for (const format of ['json', 'csv', 'parquet']) {
      const requestId = `trace-sql-${format}`;
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/v1/query',
        headers: { ...analyst.headers, 'x-request-id': requestId },
        payload: { sql: 'SELECT qh FROM t', aliases: { t: code }, format },
      });
      expect(response.statusCode, response.body.slice(0, 200)).toBe(200);
      const { root, children } = await spansOf(requestId, 13);
      const under = (parent: string) =>
        children
          .filter((s) => s.parentSpanId === parent)
          .map((s) => s.name)
          .sort();
      expect(under(root.spanId), format).toEqual(
        ['audit', 'audit', 'authenticate', 'deliver', 'enforce', 'execute', 'plan'].sort(),
      );
      // The enforce step's parts: the sandbox opened, the source narrowed, read and loaded, the
      // usage charged, the sandbox locked.
      const enforce = children.find((s) => s.name === 'enforce')!;
      expect(under(enforce.spanId), format).toEqual([
        'enforce.charge',
        'enforce.load',
        'enforce.lock',
        'enforce.marks',
        'enforce.narrow',
        'enforce.open',
      ]);
    }
  });
});
