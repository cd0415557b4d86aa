import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPassword, PEOPLE_COUNT, type SeededPlatform, seedPlatform } from '../multiprocess/platform.js';
import {
  call,
  type ServerProcess,
  type StalledDownload,
  stalledDownload,
  startServer,
} from '../multiprocess/server-process.js';
import { serviceAvailable } from '../support/services.js';
import { postgresPeople } from '../support/source-data.js';

// Crash and restart: a real server on the embedded database under sustained writes — audited reads
// and SQL, key creations, access requests and approvals, file uploads, one large upload still in
// flight — is killed with SIGKILL, restarted on the same data directory, and checked: the log
// verifies, every answer that reached the client has its audit entry, every acknowledged write is
// there and whole, every upload is complete or absent, and the CSV export a stalled client was
// reading when the process died has its `interrupted` completion entry.

const postgresUp = await serviceAvailable('postgres');
const LOAD_MS = Number(process.env.HUITONG_CRASH_LOAD_MS ?? 3000);

interface Answer {
  kind: 'rows' | 'sql' | 'key' | 'request' | 'approve' | 'upload';
  status: number;
  requestId: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: each route answers its own JSON
  json: any;
}

const csv = (rows: number) =>
  `xm,qh,n\n${Array.from({ length: rows }, (_, i) => `人${i},350102,${i}`).join('\n')}\n`;

describe.skipIf(!postgresUp)('SIGKILL under sustained writes, then restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'huitong-crash-'));
  let people: Awaited<ReturnType<typeof postgresPeople>>;
  let bigTable: Awaited<ReturnType<typeof postgresPeople>>;
  let stalled: StalledDownload;
  let server: ServerProcess;
  let platform: SeededPlatform;
  let password: string;
  const answers: Answer[] = [];
  let inFlight: { name: string; settled: boolean; status?: number };

  beforeAll(async () => {
    people = await postgresPeople(PEOPLE_COUNT);
    server = await startServer({ HUITONG_DATA_DIR: dataDir });
    password = adminPassword(server.output());
    platform = await seedPlatform(server.url, password, people.schema);
    // A table large enough that its CSV export outlasts the socket buffers of a stalled client.
    bigTable = await postgresPeople(PEOPLE_COUNT);
    await bigTable.client.query(
      `INSERT INTO ${bigTable.schema}.people SELECT '人' || i, 'X' || i, NULL, NULL, NULL, '350102' FROM generate_series(1, 500000) i`,
    );
    const bigResource = await platform.grantAnother(bigTable.schema);

    const url = server.url;
    let running = true;
    const record = async (kind: Answer['kind'], promise: ReturnType<typeof call>) => {
      try {
        const { status, requestId, json } = await promise;
        answers.push({ kind, status, requestId, json });
        return json;
      } catch {
        return undefined; // the connection died with the server: no answer reached the client
      }
    };
    const loop = async (body: () => Promise<unknown>) => {
      while (running) await body();
    };
    const upload = (name: string, body: string | ReadableStream<Uint8Array>, extra: RequestInit = {}) =>
      fetch(`${url}/api/v1/sources/files?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { ...platform.steward.headers, 'content-type': 'text/csv' },
        body,
        ...extra,
      }).then(async (r) => ({
        status: r.status,
        requestId: r.headers.get('x-request-id'),
        json: await r.json(),
      }));

    // One large upload, trickled so that it is still in flight when the server dies.
    inFlight = { name: `在途上传-${Date.now()}`, settled: false };
    const big = csv(200_000);
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((r) => setTimeout(r, 20));
        const chunk = big.slice(0, 64 * 1024);
        controller.enqueue(new TextEncoder().encode(chunk));
      },
    });
    const trickle = upload(inFlight.name, stream, { duplex: 'half' } as RequestInit)
      .then((r) => Object.assign(inFlight, { settled: true, status: r.status }))
      .catch(() => undefined);

    let n = 0;
    const loops = [
      loop(() =>
        record(
          'rows',
          call(url, platform.consumerKey, 'GET', `/api/v1/resources/${platform.resource}/rows?limit=3`),
        ),
      ),
      loop(() =>
        record(
          'sql',
          call(url, platform.consumerKey, 'POST', '/api/v1/query', {
            sql: `SELECT count(*) AS n FROM "${platform.resource}"`,
          }),
        ),
      ),
      loop(() =>
        record(
          'key',
          call(url, platform.analyst, 'POST', `/api/v1/applications/${platform.applicationId}/keys`, {
            name: `k${n++}`,
          }),
        ),
      ),
      loop(async () => {
        const request = await record(
          'request',
          call(url, platform.analyst, 'POST', '/api/v1/access-requests', {
            applicationId: platform.applicationId,
            resourceCode: platform.resource,
            items: ['区划'],
            purpose: `崩溃测试 ${n++}`,
            legalBasis: '测试',
            validUntil: new Date(Date.now() + 86_400_000).toISOString(),
          }),
        );
        if (request?.id)
          await record(
            'approve',
            call(url, platform.steward, 'POST', `/api/v1/access-requests/${request.id}/approve`, {}),
          );
      }),
      loop(() => record('upload', upload(`小文件-${n++}`, csv(200)))),
    ];
    // Kill only once every kind of write has been acknowledged at least once (a slow machine
    // takes longer to get there), and the load has run LOAD_MS more.
    const kinds: Answer['kind'][] = ['rows', 'sql', 'key', 'request', 'approve', 'upload'];
    const since = Date.now();
    while (
      Date.now() - since < 60_000 &&
      !kinds.every((k) => answers.some((a) => a.kind === k && a.status < 300))
    )
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, LOAD_MS));
    // An export in flight when the process dies: its start entry is durable (its first bytes came).
    stalled = await stalledDownload(
      url,
      `/api/v1/resources/${bigResource.resource}/rows?format=csv`,
      platform.consumerKey.headers,
    );
    await server.kill();
    stalled.destroy();
    running = false;
    await Promise.all([...loops, trickle]);
    server = await startServer({ HUITONG_DATA_DIR: dataDir });
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await people?.drop();
    await bigTable?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ran a real workload before the kill', () => {
    const ok = (kind: Answer['kind']) => answers.filter((a) => a.kind === kind && a.status < 300).length;
    const seen = (kind: Answer['kind']) =>
      JSON.stringify(
        answers
          .filter((a) => a.kind === kind)
          .slice(0, 3)
          .map((a) => [a.status, a.json]),
      );
    for (const kind of ['rows', 'sql', 'key', 'upload'] as const)
      expect(ok(kind), `${kind}: ${seen(kind)}`).toBeGreaterThan(0);
    expect(inFlight.settled, 'the large upload finished before the kill: make it larger').toBe(false);
  });

  it('verifies the audit log after the restart', async () => {
    const verified = await call(server.url, platform.auditor, 'POST', '/api/v1/audit/verify', {});
    expect(verified.status, JSON.stringify(verified.json)).toBe(200);
    expect(verified.json.ok, JSON.stringify(verified.json.report)).toBe(true);
  });

  // biome-ignore lint/suspicious/noExplicitAny: entries as the export prints them
  const exportedLines = async (): Promise<any[]> => {
    const exported = await fetch(`${server.url}/api/v1/audit/export.ndjson`, {
      headers: platform.auditor.headers,
    });
    return (await exported.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  };

  it('closes the release the crash cut with an interrupted completion, and leaves none open', async () => {
    expect(stalled.status).toBe(200);
    const entries = (await exportedLines()).filter((l) => l.kind === 'entry').map((l) => l.entry);
    const start = entries.find((e) => e.type === 'data.release.start' && e.requestId === stalled.requestId);
    expect(start, `no start entry for ${stalled.requestId}`).toBeDefined();
    const completions = entries.filter((e) => e.ref === start.index);
    expect(completions.map((c) => c.data.status)).toEqual(['interrupted']);
    expect(completions[0].data.rows).toBeNull();
    const completed = new Set(entries.filter((e) => e.ref !== null).map((e) => e.ref));
    const open = entries.filter((e) => e.type === 'data.release.start' && !completed.has(e.index));
    expect(
      open.map((e) => e.requestId),
      'release starts without a completion',
    ).toEqual([]);
  });

  it('has an audit entry for every audited answer that reached the client', async () => {
    const lines = await exportedLines();
    const logged = new Set(lines.filter((l) => l.kind === 'entry').map((l) => l.entry.requestId));
    const audited = answers.filter((a) => a.status < 300 && a.kind !== 'upload');
    expect(audited.length).toBeGreaterThan(0);
    const missing = audited.filter((a) => !logged.has(a.requestId)).map((a) => `${a.kind} ${a.requestId}`);
    expect(missing, 'answers that reached the client without their audit entry').toEqual([]);
  });

  it('keeps every acknowledged write, whole', async () => {
    const keys = await call(
      server.url,
      platform.analyst,
      'GET',
      `/api/v1/applications/${platform.applicationId}/keys?limit=200`,
    );
    expect(keys.status).toBe(200);
    const keyIds = new Set<string>();
    let page = keys.json;
    for (;;) {
      for (const k of page.items) keyIds.add(k.id);
      if (!page.nextCursor) break;
      page = (
        await call(
          server.url,
          platform.analyst,
          'GET',
          `/api/v1/applications/${platform.applicationId}/keys?limit=200&cursor=${page.nextCursor}`,
        )
      ).json;
    }
    for (const a of answers.filter((x) => x.kind === 'key' && x.status === 201))
      expect(keyIds).toContain(a.json.apiKey.id);
    // An acknowledged approval has its grant: no approved request without one, no grant without its request.
    for (const a of answers.filter((x) => x.kind === 'approve' && x.status === 200)) {
      const grant = await call(server.url, platform.steward, 'GET', `/api/v1/grants/${a.json.grant.id}`);
      expect(grant.status, JSON.stringify(grant.json)).toBe(200);
      const request = await call(
        server.url,
        platform.steward,
        'GET',
        `/api/v1/access-requests/${grant.json.requestId}`,
      );
      expect(request.json.status).toBe('approved');
    }
  });

  it('has every upload complete or absent', async () => {
    const listed = await call(server.url, platform.steward, 'GET', '/api/v1/sources?limit=200');
    expect(listed.status).toBe(200);
    const files = listed.json.items.filter((s: { kind: string }) => s.kind === 'file');
    const acknowledged = answers
      .filter((a) => a.kind === 'upload' && a.status === 201)
      .map((a) => a.json.id ?? a.json.source?.id);
    const ids = new Set(files.map((s: { id: string }) => s.id));
    for (const id of acknowledged) expect(ids).toContain(id);
    // Every file source the platform knows reads back: complete, not half-written.
    for (const source of files) {
      const schema = await call(server.url, platform.steward, 'GET', `/api/v1/sources/${source.id}/schema`);
      expect(schema.status, `${source.name}: ${JSON.stringify(schema.json).slice(0, 200)}`).toBe(200);
    }
    // The upload in flight is absent (its response never came), not half there.
    expect(files.some((s: { name: string }) => s.name === inFlight.name)).toBe(false);
  });

  // Finding F6 (fixed): an upload interrupted by a crash left its `.staging-<id>` folder (the raw
  // bytes received so far) under data/sources/; start-up now sweeps it.
  it('leaves no stray upload on disk once restarted (F6)', () => {
    const dir = join(dataDir, 'sources');
    const entries = existsSync(dir) ? readdirSync(dir) : [];
    const staging = entries.filter((e) => e.startsWith('.staging-'));
    expect(staging, 'staging folders of interrupted uploads are left behind').toEqual([]);
  });
});
