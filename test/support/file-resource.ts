import { expect } from 'vitest';
import type { CreateResourceInput } from '../../src/catalog/index.js';
import { buildApiKey, buildOrganization, buildResource, buildUser, TEST_PASSWORD } from './factories.js';
import { bearer, type Credentials, loginAs, type TestServer } from './http.js';

/** A provider's resource over a CSV its steward uploaded, and a consumer organisation's key. */
export interface FileResource {
  code: string;
  steward: Credentials;
  key: Credentials;
  providerId: string;
  consumerId: string;
}

/**
 * Builds a published resource bound to an uploaded CSV (`items` name its columns) and an API key
 * of another organisation: the smallest world in which a consumer reads a resource.
 */
export async function fileResource(
  server: TestServer,
  csv: string,
  resource: Pick<CreateResourceInput, 'items' | 'sharingType' | 'sharingMethods'>,
): Promise<FileResource> {
  const db = server.store.db;
  const tag = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const provider = await buildOrganization(db, { name: `提供方-${tag}` });
  const consumer = await buildOrganization(db, { name: `使用方-${tag}` });
  const steward = await loginAs(
    server.app,
    (await buildUser(db, { orgId: provider.id, roles: ['data_steward'] })).username,
    TEST_PASSWORD,
  );
  const key = bearer((await buildApiKey(db, consumer.id)).key);
  const upload = await server.app.inject({
    method: 'POST',
    url: `/api/v1/sources/files?name=upload-${tag}`,
    headers: { ...steward.headers, 'content-type': 'text/csv' },
    payload: csv,
  });
  expect(upload.statusCode, upload.body).toBe(201);
  const { code } = await buildResource(db, provider.id, resource, { publish: true });
  const bound = await server.app.inject({
    method: 'PUT',
    url: `/api/v1/resources/${code}/binding`,
    headers: steward.headers,
    payload: { sourceId: upload.json().source.id, from: { kind: 'table', table: 'data' } },
  });
  expect(bound.statusCode, bound.body).toBe(200);
  return { code, steward, key, providerId: provider.id, consumerId: consumer.id };
}
