// The world of the canary hunt. A police department P publishes people tables (PostgreSQL) as
// resources: PEOPLE granted to a consumer C's application with a row filter (区划 = 350102), every
// item but 内部编号, default masks; HIDDEN (conditional, no grant), NOTSHARED (不予共享),
// VERIFYONLY (unconditional, offered for verification only), OPEN (open data releasing some
// items masked) and STATS (granted to C for statistics only: no row of it may leave). Another
// provider O uploads a file and registers sources with credentials. Every value C must not reach
// is a canary of the book: masked cells (their hidden part), rows outside the filter, items
// outside the grant, other resources' rows, O's file, credentials, password and key hashes,
// another organisation's request purpose (in its table and in the audit log).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CreateResourceInput } from '../../src/catalog/index.js';
import { dropCapture } from '../../src/query/index.js';
import { createSource } from '../../src/sources/index.js';
import {
  buildApiKey,
  buildOrganization,
  buildSharedResource,
  buildUser,
  TEST_PASSWORD,
} from '../support/factories.js';
import {
  bearer,
  type Credentials,
  loginAs,
  openTestServer,
  TEST_SECRET_KEY,
  type TestServer,
} from '../support/http.js';
import { SERVICES } from '../support/services.js';
import { postgresTables } from '../support/source-data.js';
import { CanaryBook, MASKED_SECRETS } from './canaries.js';
import { deliverChanges } from './deliver.js';
import { openPushReceiver, type PushReceiver } from './push-receiver.js';

/** The items of every canary resource: one per masking convention, free text, an ungranted one, the filter's. */
export const CANARY_ITEMS: NonNullable<CreateResourceInput['items']> = [
  { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' },
  { name: '身份证号', field: 'sfzh', dataType: 'string', personal: true, personalKind: 'identity_document' },
  { name: '手机号码', field: 'sjhm', dataType: 'string', personal: true, personalKind: 'communication' },
  { name: '银行卡号', field: 'yhkh', dataType: 'string', personal: true, personalKind: 'bank_account' },
  { name: '健康状况', field: 'jkzk', dataType: 'string', personal: true, personalKind: 'health' },
  { name: '住址', field: 'zz', dataType: 'string', personal: true, personalKind: 'location' },
  { name: '备注', field: 'bz', dataType: 'string' },
  { name: '内部编号', field: 'nbbh', dataType: 'string' },
  { name: '区划', field: 'qh', dataType: 'string' },
];
const COLUMNS = CANARY_ITEMS.map((i) => i.field!);
/** The items of PEOPLE granted to C (all but 内部编号). */
export const GRANTED_ITEMS = CANARY_ITEMS.map((i) => i.name).filter((n) => n !== '内部编号');
/** The items OPEN releases (personal ones with their default masks). */
export const OPEN_ITEMS = ['姓名', '健康状况', '住址', '备注', '区划'];
export const GRANTED_REGION = '350102';
const OTHER_REGION = '110105';
const ROWS = 4;
/** OPEN's rows: all in one district, so that its gate over 区划 passes k = 5. */
const OPEN_ROWS = 6;

/** Who the hunt calls as: C's key, C's analyst and steward, and nobody; P's steward for the control. */
export type HuntPersona = 'key' | 'analyst' | 'steward' | 'anonymous' | 'provider';

/** Everything the hunt drives. */
export interface CanaryWorld {
  server: TestServer;
  book: CanaryBook;
  callers: Record<HuntPersona, Credentials>;
  codes: {
    PEOPLE: string;
    HIDDEN: string;
    NOTSHARED: string;
    VERIFYONLY: string;
    OPEN: string;
    /** Open data under a k-anonymity gate over 区划, with one row alone in its class: every read refused. */
    GATED: string;
    OTHER: string;
    /** Granted to C's key for sandbox use (可用不可见), unmasked: C computes over it, sees none of it. */
    SANDBOX: string;
    /** Granted to C for statistics only (统计用途): every cell but the region is out of reach. */
    STATS: string;
    /** Granted to C's key for sandbox use with noise (可用不可见 + 差分隐私), unmasked. */
    NOISED: string;
  };
  /** A sandbox answer of C held for P's release review, holding canaries (max of 备注 and 身份证号). */
  heldReview: string;
  /** C's key's subscription to PEOPLE (pull channel), its snapshot and later changes stored. */
  subscription: string;
  /** The endpoint of C's key's webhook subscription to PEOPLE, with everything pushed to it. */
  pushed: PushReceiver;
  /** C's key's delivery schedule of PEOPLE as CSV files, and a run of it that left a file. */
  delivery: { schedule: string; run: string };
  /** C's own unbound resource, for binding attempts to other organisations' sources. */
  ownCode: string;
  sources: { provider: string; otherFile: string; otherPg: string; otherHttp: string };
  /** Where O's uploaded file lies on disk. */
  otherFilePath: string;
  /** The PostgreSQL schema of P's tables. */
  schema: string;
  /** How each persona signs in over the PostgreSQL wire protocol (user, password). */
  wire: Record<'key' | 'analyst' | 'provider', { user: string; password: string }>;
  /** Valid-looking values that are no canary, to stand in for the corpus' placeholders. */
  decoys: { id: string; name: string; phone: string };
  close(): Promise<void>;
}

/** Plants the canaries of `seed` and builds the world on a PGlite store; needs PostgreSQL. */
export async function openCanaryWorld(seed: number): Promise<CanaryWorld> {
  const book = new CanaryBook(seed);
  // Short, for the corpus sample's time bombs; 4 s, as the corpus's own test: at 2 s a one-row
  // query there timed out on a loaded machine (test/sql-corpus/sql-corpus.test.ts).
  const server = await openTestServer('pglite', { HUITONG_QUERY_TIMEOUT_SECONDS: '4' });
  const db = server.store.db;

  // A table's rows; `visible` says which cells C sees (masked or clear) in the grant's rows.
  const table = (name: string, visibleRows: boolean) =>
    Array.from({ length: ROWS * 2 }, (_, i) => {
      const region = i < ROWS ? GRANTED_REGION : OTHER_REGION;
      const seen = visibleRows && region === GRANTED_REGION;
      const cell = (field: string, value: string) => {
        const where = `${name}[${i}].${field}`;
        if (!seen)
          return book.plant(`${where} (unreachable)`, value, [
            value,
            ...(MASKED_SECRETS[field]?.(value) ?? []),
          ]);
        if (MASKED_SECRETS[field])
          return book.plant(`${where} (masked)`, value, MASKED_SECRETS[field](value));
        return value;
      };
      return [
        cell('xm', book.personName()),
        cell('sfzh', book.idNumber(region)),
        cell('sjhm', book.mobile()),
        cell('yhkh', book.bankCard()),
        cell('jkzk', book.health()),
        cell('zz', book.address()),
        // Free text C sees in clear in its rows: a canary only where C may not look.
        seen ? `remark-${i}` : book.plant(`${name}[${i}].bz (unreachable)`, book.tag()),
        book.plant(`${name}[${i}].nbbh (${visibleRows ? 'item not granted' : 'unreachable'})`, book.tag()),
        region,
      ];
    });
  // OPEN releases every row: its released cells are masked or clear, its others unreachable.
  const openRows = Array.from({ length: OPEN_ROWS }, (_, i) => {
    const masked = (field: string, value: string) =>
      book.plant(`open[${i}].${field} (open, masked)`, value, MASKED_SECRETS[field]!(value));
    const hidden = (field: string, value: string) =>
      book.plant(`open[${i}].${field} (not released)`, value, [
        value,
        ...(MASKED_SECRETS[field]?.(value) ?? []),
      ]);
    return [
      masked('xm', book.personName()),
      hidden('sfzh', book.idNumber(GRANTED_REGION)),
      hidden('sjhm', book.mobile()),
      hidden('yhkh', book.bankCard()),
      masked('jkzk', book.health()),
      masked('zz', book.address()),
      `open-remark-${i}`,
      hidden('nbbh', book.tag()),
      GRANTED_REGION,
    ];
  });
  // GATED: five rows of one district pass k = 5 when the release is set; then a sixth row, alone in
  // its district, is added: its district and remark are what a refusal must not tell.
  const gatedRow = (i: number, qh: string, bz: string) => [
    ...['xm', 'sfzh', 'sjhm', 'yhkh', 'jkzk', 'zz'].map((f) =>
      book.plant(`gated[${i}].${f} (not released)`, book.tag()),
    ),
    bz,
    book.plant(`gated[${i}].nbbh (not released)`, book.tag()),
    qh,
  ];
  const gatedRows = Array.from({ length: 5 }, (_, i) => gatedRow(i, GRANTED_REGION, `gated-remark-${i}`));
  const pg = await postgresTables({
    people: { columns: COLUMNS, rows: table('people', true) },
    hidden: { columns: COLUMNS, rows: table('hidden', false) },
    verify_only: { columns: COLUMNS, rows: table('verify_only', false) },
    open_people: { columns: COLUMNS, rows: openRows },
    sandbox_people: { columns: COLUMNS, rows: table('sandbox_people', false) },
    noised_people: { columns: COLUMNS, rows: table('noised_people', false) },
    open_gated: { columns: COLUMNS, rows: gatedRows },
    stats_people: { columns: COLUMNS, rows: table('stats', false) },
  });

  const police = await buildOrganization(db, { name: `公安厅-哨兵-${pg.schema}` });
  const welfare = await buildOrganization(db, { name: `民政厅-哨兵-${pg.schema}` });
  const other = await buildOrganization(db, { name: `税务局-哨兵-${pg.schema}` });
  const usernames = new Map<Credentials, string>();
  const login = async (orgId: string, role: 'data_steward' | 'analyst') => {
    const { username } = await buildUser(db, { orgId, roles: [role] });
    const credentials = await loginAs(server.app, username, TEST_PASSWORD);
    usernames.set(credentials, username);
    return credentials;
  };
  const pSteward = await login(police.id, 'data_steward');
  const oSteward = await login(other.id, 'data_steward');
  const oAnalyst = await login(other.id, 'analyst');
  const cAnalyst = await login(welfare.id, 'analyst');
  const cSteward = await login(welfare.id, 'data_steward');
  const key = await buildApiKey(db, welfare.id);

  const call = async (
    as: Credentials,
    method: 'POST' | 'PUT',
    url: string,
    payload: unknown,
    type?: string,
  ) => {
    const response = await server.app.inject({
      method,
      url,
      headers: { ...as.headers, ...(type ? { 'content-type': type } : {}) },
      payload: payload as string,
    });
    if (response.statusCode >= 300)
      throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };

  // P's source. Its password is a canary (PostgreSQL trusts the test machine, so it is never checked).
  const pgSource = (orgId: string, name: string) =>
    createSource(db, server.sources, {
      kind: 'postgres',
      name,
      database: 'test',
      orgId,
      host: SERVICES.postgres.host,
      port: SERVICES.postgres.port,
      user: 'postgres',
      password: book.plant(`${name} password`, book.tag()),
      tls: { mode: 'disable' },
      description: '',
    });
  const providerSource = await pgSource(police.id, `人口库-${pg.schema}`);
  const publish = async (table: string, overrides: Partial<CreateResourceInput>) => {
    const resource = await buildSharedResource(db, police.id, { items: CANARY_ITEMS, ...overrides });
    await call(pSteward, 'PUT', `/api/v1/resources/${resource.code}/binding`, {
      sourceId: providerSource.id,
      from: { kind: 'table', schema: pg.schema, table },
    });
    return resource.code;
  };
  const PEOPLE = await publish('people', {
    sharingType: 'conditional',
    sharingMethods: ['api', 'file', 'verification'],
  });
  const HIDDEN = await publish('hidden', { sharingType: 'conditional', sharingMethods: ['api', 'file'] });
  const NOTSHARED = await publish('hidden', { sharingType: 'not_shared', sharingMethods: [] });
  const VERIFYONLY = await publish('verify_only', {
    sharingType: 'unconditional',
    sharingMethods: ['verification'],
  });
  const OPEN = await publish('open_people', {
    sharingType: 'conditional',
    sharingMethods: ['api', 'file'],
    openType: 'unconditional',
  });
  // Personal items go out (masked): the release names its quasi-identifier, as it must.
  await call(pSteward, 'PUT', `/api/v1/resources/${OPEN}/open-release`, {
    items: OPEN_ITEMS.map((name) => ({ name })),
    quasiIdentifiers: ['区划'],
  });
  const GATED = await publish('open_gated', {
    sharingType: 'conditional',
    sharingMethods: ['api', 'file'],
    openType: 'unconditional',
  });
  await call(pSteward, 'PUT', `/api/v1/resources/${GATED}/open-release`, {
    items: [{ name: '备注' }, { name: '区划' }],
    quasiIdentifiers: ['区划'],
    k: 5,
  });
  await pg.insert(
    'open_gated',
    gatedRow(
      5,
      book.plant('gated[5].qh (open, class below k)', book.tag()),
      book.plant('gated[5].bz (open, class below k)', book.tag()),
    ),
  );

  const request = await call(cAnalyst, 'POST', '/api/v1/access-requests', {
    applicationId: key.application.id,
    resourceCode: PEOPLE,
    items: GRANTED_ITEMS,
    purpose: '低保核查',
    legalBasis: '《社会救助暂行办法》',
    validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  });
  await call(pSteward, 'POST', `/api/v1/access-requests/${request.id}/approve`, {
    items: GRANTED_ITEMS.map((name) => ({ name })),
    rowFilter: [{ item: '区划', op: 'eq', value: GRANTED_REGION }],
    mayExport: true,
  });
  // C's key subscribes to PEOPLE (pull): the events are a way data leaves, hunted like the reads.
  // Capture needs a key; it is 内部编号, which C is not granted: its values must not leave as the
  // events' keys either. The snapshot's events are stored now; a change follows it.
  await pg.client.query(`ALTER TABLE ${pg.schema}.people ADD PRIMARY KEY (nbbh)`);
  const subscription = (
    await call(bearer(key.key), 'POST', '/api/v1/subscriptions', { resourceCode: PEOPLE })
  ).id as string;
  // …and by webhook: the receiver keeps every pushed request for the hunt.
  const pushed = await openPushReceiver();
  const webhook = (
    await call(bearer(key.key), 'POST', '/api/v1/subscriptions', {
      resourceCode: PEOPLE,
      channel: { kind: 'webhook', url: pushed.url },
    })
  ).id as string;
  // Changes after the snapshot, captured by logical replication: rows entering C's rows (their
  // cells canaries as PEOPLE's), rows outside the filter, one row leaving it, one deleted. Both
  // subscriptions receive them enforced; the hunt searches the pulled pages and the pushed bodies.
  const after = table('people_after', true);
  const placeholders = COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
  for (const row of after)
    await pg.client.query(`INSERT INTO ${pg.schema}.people VALUES (${placeholders})`, row);
  const [leaving, deleted] = (
    await pg.client.query(`SELECT nbbh FROM ${pg.schema}.people WHERE qh = $1 ORDER BY nbbh LIMIT 2`, [
      GRANTED_REGION,
    ])
  ).rows.map((r: { nbbh: string }) => r.nbbh);
  await pg.client.query(`UPDATE ${pg.schema}.people SET qh = $1 WHERE nbbh = $2`, [OTHER_REGION, leaving]);
  await pg.client.query(`DELETE FROM ${pg.schema}.people WHERE nbbh = $1`, [deleted]);
  await deliverChanges(server, providerSource.id, [subscription, webhook], pushed, ROWS * 2 + 2);

  // C's key schedules full exports of PEOPLE as CSV files (定时全量交付) and runs one now: the
  // file is a way data leaves too, released again when downloaded.
  const deliverySchedule = (
    await call(bearer(key.key), 'POST', '/api/v1/delivery-schedules', {
      resourceCode: PEOPLE,
      cron: '0 2 * * *',
      target: { kind: 'file', format: 'csv' },
    })
  ).id as string;
  const deliveryRun = (
    await call(bearer(key.key), 'POST', `/api/v1/delivery-schedules/${deliverySchedule}/run`, {})
  ).id as string;

  // 可用不可见: SANDBOX granted unmasked for sandbox use; every cell is a canary (C sees no row), and
  // an answer that carries some (the largest 备注 and 身份证号 per region) waits for P's review.
  const SANDBOX = await publish('sandbox_people', { sharingType: 'conditional', sharingMethods: ['api'] });
  const sandboxRequest = await call(cAnalyst, 'POST', '/api/v1/access-requests', {
    applicationId: key.application.id,
    resourceCode: SANDBOX,
    items: GRANTED_ITEMS,
    purpose: '低保分布分析',
    legalBasis: '《社会救助暂行办法》',
    use: 'sandbox',
    validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  });
  await call(pSteward, 'POST', `/api/v1/access-requests/${sandboxRequest.id}/approve`, {
    items: GRANTED_ITEMS.map((name) => ({ name, mask: { kind: 'none' } })),
  });
  const held = await call(bearer(key.key), 'POST', '/api/v1/query', {
    sql: 'SELECT qh, max(bz), max(sfzh) FROM s GROUP BY qh',
    aliases: { s: SANDBOX },
  });
  const heldReview = held.review.id as string;
  // NOISED: the same sandbox use, its answers noised (ε 0.1 per aggregate, from a budget of 100).
  const NOISED = await publish('noised_people', { sharingType: 'conditional', sharingMethods: ['api'] });
  const noisedRequest = await call(cAnalyst, 'POST', '/api/v1/access-requests', {
    applicationId: key.application.id,
    resourceCode: NOISED,
    items: GRANTED_ITEMS,
    purpose: '低保分布分析（加噪）',
    legalBasis: '《社会救助暂行办法》',
    use: 'sandbox',
    validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  });
  await call(pSteward, 'POST', `/api/v1/access-requests/${noisedRequest.id}/approve`, {
    items: GRANTED_ITEMS.map((name) => ({ name, mask: { kind: 'none' } })),
    sandboxNoise: { epsilon: 0.1 },
    privacyBudget: { epsilonPerDay: 100, epsilonTotal: 100 },
  });
  // STATS: C may ask noisy counts of it (SQL and the statistics endpoint), never see a row.
  const STATS = await publish('stats_people', { sharingType: 'conditional', sharingMethods: ['api'] });
  const statsRequest = await call(cAnalyst, 'POST', '/api/v1/access-requests', {
    applicationId: key.application.id,
    resourceCode: STATS,
    items: GRANTED_ITEMS,
    purpose: '低保统计',
    legalBasis: '《社会救助暂行办法》',
    use: 'statistics',
    validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  });
  await call(pSteward, 'POST', `/api/v1/access-requests/${statsRequest.id}/approve`, {
    items: GRANTED_ITEMS.map((name) => ({ name })),
    privacyBudget: { epsilonPerDay: 100, epsilonTotal: 100 },
  });

  // O: an uploaded file of its own, bound to a resource nobody else is granted; sources with credentials.
  const header = COLUMNS.join(',');
  const fileRows = Array.from({ length: ROWS }, (_, i) =>
    [
      book.plant(`other file[${i}].xm`, book.personName()),
      book.plant(`other file[${i}].sfzh`, book.idNumber(OTHER_REGION)),
      ...['sjhm', 'yhkh', 'jkzk', 'zz', 'bz', 'nbbh'].map((f) =>
        book.plant(`other file[${i}].${f}`, book.tag()),
      ),
      OTHER_REGION,
    ].join(','),
  );
  const uploaded = await call(
    oSteward,
    'POST',
    '/api/v1/sources/files?name=other-file',
    `${header}\n${fileRows.join('\n')}\n`,
    'text/csv',
  );
  const otherFile = uploaded.source.id as string;
  const OTHER = (await buildSharedResource(db, other.id, { items: CANARY_ITEMS, sharingType: 'conditional' }))
    .code;
  await call(oSteward, 'PUT', `/api/v1/resources/${OTHER}/binding`, {
    sourceId: otherFile,
    from: { kind: 'table', table: 'data' },
  });
  const otherPg = await pgSource(other.id, `税务库-${pg.schema}`);
  const otherHttp = await createSource(db, server.sources, {
    kind: 'http_json',
    name: `税务接口-${pg.schema}`,
    orgId: other.id,
    url: 'http://127.0.0.1:9/records',
    authHeaderValue: `Bearer ${book.plant('other http source auth header', book.tag())}`,
    description: '',
  } as never);
  // Another organisation's request: its purpose and legal basis are in its table and in the audit log.
  await call(oAnalyst, 'POST', '/api/v1/access-requests', {
    applicationId: (await buildApiKey(db, other.id)).application.id,
    resourceCode: HIDDEN,
    items: ['姓名'],
    purpose: book.plant("other organisation's request purpose", book.tag()),
    legalBasis: book.plant("other organisation's legal basis", book.tag()),
    validUntil: new Date(Date.now() + 86_400_000).toISOString(),
  });
  const ownCode = (await buildSharedResource(db, welfare.id, { items: CANARY_ITEMS })).code;

  // The platform's own secrets: password and key hashes, session tokens' hashes, the credentials key.
  for (const u of await db.selectFrom('users').select(['username', 'password_hash']).execute())
    book.plant(`password hash of ${u.username}`, u.password_hash);
  for (const k of await db.selectFrom('api_keys').select(['id', 'key_hash']).execute())
    book.plant(`API key hash ${k.id}`, k.key_hash);
  for (const s of await db.selectFrom('sessions').select('token_hash').execute())
    book.plant('session token hash', s.token_hash);
  book.plant('credentials key', TEST_SECRET_KEY);
  const fileRow = await db
    .selectFrom('sources')
    .select('config')
    .where('id', '=', otherFile)
    .executeTakeFirstOrThrow();
  const config = (typeof fileRow.config === 'string' ? JSON.parse(fileRow.config) : fileRow.config) as {
    path: string;
  };
  const otherFilePath = join(server.sources.dataDir, config.path);
  if (!readFileSync(otherFilePath).length) throw new Error('the uploaded file is missing');

  return {
    server,
    book,
    callers: {
      key: bearer(key.key),
      analyst: cAnalyst,
      steward: cSteward,
      anonymous: { headers: {} },
      provider: pSteward,
    },
    codes: { PEOPLE, HIDDEN, NOTSHARED, VERIFYONLY, OPEN, GATED, OTHER, SANDBOX, STATS, NOISED },
    heldReview,
    subscription,
    pushed,
    delivery: { schedule: deliverySchedule, run: deliveryRun },
    ownCode,
    sources: { provider: providerSource.id, otherFile, otherPg: otherPg.id, otherHttp: otherHttp.id },
    otherFilePath,
    schema: pg.schema,
    decoys: { id: '11010519491231002X', name: '张三', phone: '13800138000' },
    wire: {
      key: { user: key.application.name, password: key.key },
      analyst: { user: usernames.get(cAnalyst)!, password: TEST_PASSWORD },
      provider: { user: usernames.get(pSteward)!, password: TEST_PASSWORD },
    },
    close: async () => {
      // The source's replication slot and publication go, whatever the hunt did to C's key.
      await dropCapture(server.query, providerSource.id);
      await pushed.close();
      await server.close();
      await pg.drop();
    },
  };
}
