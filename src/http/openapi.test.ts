import SwaggerParser from '@apidevtools/swagger-parser';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from '../../test/support/http.js';
import { operationIdOf } from './openapi-operations.js';

// The warnings of Redocly's recommended rules that stay, each with its reason (docs/api.md).
const ACCEPTED_WARNINGS = [
  // GET /resources/{code}/access/{method} only ever redirects (303) to where the method is served.
  'operation-2xx-response /paths/~1api~1v1~1resources~1{code}~1access~1{method}/get/responses',
];

describe('the OpenAPI document', () => {
  let server: TestServer;
  let text: string;
  const doc = () => JSON.parse(text);
  beforeAll(async () => {
    server = await openTestServer('pglite');
    text = (await server.app.inject({ url: '/api/openapi.json' })).body;
  }, 60_000);
  afterAll(() => server.close());

  it('passes swagger-parser validation', async () => {
    await expect(SwaggerParser.validate(doc())).resolves.toBeTruthy();
  });

  it('passes Redocly’s recommended lint with no error and only the accepted warnings', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: text, absoluteRef: 'openapi.json', config });
    const found = problems.map((p) => ({
      severity: p.severity,
      id: `${p.ruleId} ${p.location[0]?.pointer?.replace(/^#/, '')}`,
      message: p.message,
    }));
    expect(found.filter((p) => p.severity === 'error')).toEqual([]);
    expect(found.filter((p) => p.severity === 'warn').map((p) => p.id)).toEqual(ACCEPTED_WARNINGS);
  });

  it('names a server and gives every operation a unique operationId derived from its route', () => {
    expect(doc().servers).toEqual([expect.objectContaining({ url: '/' })]);
    const operations = Object.entries(
      doc().paths as Record<string, Record<string, { operationId?: string }>>,
    ).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ path, method, id: op.operationId })),
    );
    expect(operations.length).toBeGreaterThan(80);
    for (const op of operations) {
      const url = op.path.replace(/\{(\w+)\}/g, ':$1');
      expect(op.id, `${op.method} ${op.path}`).toBe(operationIdOf(op.method, url));
    }
    expect(new Set(operations.map((o) => o.id)).size).toBe(operations.length);
  });

  it('derives operationIds from method and path, parameters as By…', () => {
    expect(operationIdOf('GET', '/api/v1/resources/:code/rows')).toBe('getResourcesByCodeRows');
    expect(operationIdOf('POST', '/api/v1/applications/:id/keys/:keyId/revoke')).toBe(
      'postApplicationsByIdKeysByKeyIdRevoke',
    );
    expect(operationIdOf('GET', '/api/v1/resources/:code.jsonld')).toBe('getResourcesByCodeJsonld');
    expect(operationIdOf('GET', '/api/v1/audit/export.ndjson')).toBe('getAuditExportNdjson');
    expect(operationIdOf('PUT', '/api/v1/resources/:code/open-release')).toBe(
      'putResourcesByCodeOpenRelease',
    );
    expect(operationIdOf('GET', '/api/health')).toBe('getHealth');
  });

  it('lists the CKAN action parameters as query parameters, not the parts of a schema', () => {
    const names = (doc().paths['/api/3/action/{name}'].get.parameters as Array<{ in: string; name: string }>)
      .filter((p) => p.in === 'query')
      .map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['q', 'fq', 'rows', 'start', 'id', 'facet.field']));
    expect(names).not.toContain('type');
    expect(names).not.toContain('additionalProperties');
    expect(names).not.toContain('propertyNames');
  });
});
