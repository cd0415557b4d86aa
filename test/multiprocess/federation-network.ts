import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { loadNodeKey, signRequest } from '../../src/federation/index.js';
import { type Client, call, login } from './server-process.js';

// What the three-process federation test checks beyond the demo's own scenario (issue 17: a
// multi-process test with three real nodes for every numbered item). Each helper speaks to the
// running nodes over HTTP only, as an operator or a peer would.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value, or throws `what` after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} (after ${timeoutMs / 1000} s)`);
    await sleep(1000);
  }
}

/** A JSON call that must succeed. */
export async function must(
  url: string,
  as: Client | undefined,
  method: string,
  path: string,
  body?: unknown,
) {
  const answer = await call(url, as, method, path, body);
  if (answer.status >= 300)
    throw new Error(`${method} ${path} at ${url}: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json;
}

/** POSTs `body` to a node's peer route, signed (RFC 9421) with `nodeId`'s key found in `dataDir`, or a stranger's. */
export async function signedPost(
  url: string,
  path: string,
  body: unknown,
  signer: { nodeId: string; dataDir?: string },
): Promise<{ status: number; code?: string; headers: Record<string, string>; bytes: Uint8Array }> {
  const key = signer.dataDir
    ? (await loadNodeKey(signer.dataDir)).key
    : generateKeyPairSync('ed25519').privateKey;
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const headers = await signRequest(
    { nodeId: signer.nodeId, key },
    { method: 'POST', url: `${url}${path}`, headers: { 'content-type': 'application/json' }, body: bytes },
  );
  return { ...(await post(url, path, headers, bytes)), headers, bytes };
}

/** POSTs bytes with exactly these headers (a replay sends a captured request again). */
export async function post(url: string, path: string, headers: Record<string, string>, bytes: Uint8Array) {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers, body: bytes });
  const json = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
  return { status: response.status, code: json.error?.code };
}

/** A node's data directory under the demo's base directory. */
export const nodeDir = (base: string, dir: string) => join(base, dir);

/**
 * 回流 (item 6): the national node publishes a 无条件共享 resource over an uploaded file, so that
 * a province can read it through its own node. Returns its code.
 */
export async function publishNationalResource(national: string, admin: Client): Promise<string> {
  const org = await must(national, admin, 'POST', '/api/v1/organizations', {
    name: '国家市场监督管理总局',
    kind: 'department',
    level: 'national',
    // Its seat, 北京 (the national node speaks for every region).
    regionCode: '110000',
  });
  const steward = { username: 'gj.steward', password: 'Steward@2026!' };
  await must(national, admin, 'POST', '/api/v1/users', {
    orgId: org.id,
    displayName: '国家数据管理员',
    roles: ['data_steward'],
    mustChangePassword: false,
    ...steward,
  });
  const as = await login(national, steward.username, steward.password);
  const csv =
    'credit_code,name,abnormal\n91330100MA2AAAAA1X,杭州示例科技有限公司,否\n91330100MA2BBBBB2Y,宁波示例贸易有限公司,是\n';
  const reviewer = { username: 'gj.reviewer', password: 'Reviewer@2026!' };
  return publishFileResource(national, as, csv, {
    name: '全国企业经营异常名录',
    summary: '国家市场监督管理总局汇总的企业经营异常名录。',
    items: [
      { name: '统一社会信用代码', field: 'credit_code', dataType: 'string' },
      { name: '企业名称', field: 'name', dataType: 'string' },
      { name: '列入经营异常名录', field: 'abnormal', dataType: 'string' },
    ],
    // The demo's nodes review their catalog (目录审核): a reviewer of the platform approves.
    reviewer: async () => {
      const me = await must(national, admin, 'GET', '/api/v1/auth/me');
      await must(national, admin, 'POST', '/api/v1/users', {
        orgId: me.organization.id,
        displayName: '国家目录审核员',
        roles: ['catalog_reviewer'],
        mustChangePassword: false,
        ...reviewer,
      });
      return login(national, reviewer.username, reviewer.password);
    },
  });
}

/** What `publishFileResource` publishes: the entry's words, its items, and who approves it under review. */
interface FileEntry {
  name: string;
  summary: string;
  items: { name: string; field: string; dataType: string }[];
  /** Signs in a catalog reviewer of the node, when its catalog is reviewed (目录审核). */
  reviewer: () => Promise<Client>;
}

/**
 * A steward of a node uploads `csv` as a file source and publishes a 无条件共享 entry over it, as
 * an operator would through the API (approved by the node's reviewer when the catalog is
 * reviewed). Returns its code.
 */
export async function publishFileResource(
  url: string,
  steward: Client,
  csv: string,
  entry: FileEntry,
): Promise<string> {
  const upload = await fetch(`${url}/api/v1/sources/files?name=${encodeURIComponent(entry.name)}`, {
    method: 'POST',
    headers: { ...steward.headers, 'content-type': 'text/csv' },
    body: csv,
  });
  if (upload.status !== 201) throw new Error(`upload: ${upload.status} ${await upload.text()}`);
  const { source } = (await upload.json()) as { source: { id: string } };
  const { code } = await must(url, steward, 'POST', '/api/v1/resources', {
    classificationCode: '101001',
    format: 'CSV',
    sharingMethods: ['api'],
    updateCycle: 'monthly',
    name: entry.name,
    summary: entry.summary,
    items: entry.items,
    sharingType: 'unconditional',
    openType: 'not_open',
  });
  await must(url, steward, 'PUT', `/api/v1/resources/${code}/binding`, {
    sourceId: source.id,
    from: { kind: 'table', table: 'data' },
  });
  const published = await must(url, steward, 'POST', `/api/v1/resources/${code}/publish`);
  if (published.status === 'pending') {
    const decides = await entry.reviewer();
    await must(url, decides, 'POST', `/api/v1/catalog/changes/${published.id}/approve`, {});
  }
  return code as string;
}
