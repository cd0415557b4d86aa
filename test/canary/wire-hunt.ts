// The canary hunt over the PostgreSQL wire protocol: the same hostile SQL as the HTTP hunt, the
// catalog queries clients send, COPY, bound parameters, writes and settings, and failed logins,
// each as the consumer's key and analyst. A recording proxy sits between the client and the
// listener, so that every byte the listener sends (startup and authentication messages, row
// descriptions, rows, COPY data, notices, errors) is searched, whatever the client makes of it.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import pg from 'pg';
import { type PgWireServer, startPgWire } from '../../src/pg-wire/index.js';
import type { CorpusCase } from '../sql-corpus/corpus.js';
import { corpusSample, hostileSql, type Leak, statisticsSql } from './hunt.js';
import type { CanaryWorld } from './world.js';

/** A wire persona: the consumer's key (its application's name) or its analyst (a username). */
export type WirePersona = 'key' | 'analyst' | 'provider';

/** One statement of the wire hunt; `values` sends it through the extended protocol. */
export interface WireRequest {
  label: string;
  persona: WirePersona;
  sql: string;
  values?: unknown[];
  /** For a case of the SQL corpus: whether the pipeline must refuse it. */
  mustRefuse?: boolean;
}

/** The listener under hunt, behind a proxy that keeps every byte it sends to each client. */
export interface WireHunt {
  run(requests: WireRequest[]): Promise<WireHuntResult>;
  /** Tries a login; returns the bytes the listener answered with. */
  failedLogin(user: string, password: string): Promise<{ bytes: Buffer; error?: { code?: string } }>;
  close(): Promise<void>;
}

/** What the hunt saw: leaks, how many statements answered rows or errors, and the SQLSTATEs. */
export interface WireHuntResult {
  leaks: Leak[];
  answered: number;
  refused: Record<string, number>;
  /** Corpus cases the pipeline refuses over HTTP that the wire answered. */
  answeredButRefusedOverHttp: string[];
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');

/** The wire's `schema.table` name of a resource code (docs/pg-wire.md: p_<provider>.r_<class>_<seq>). */
export function wireName(code: string): string {
  const provider = code.split('-').slice(1, -1).join('-');
  return `p_${slug(provider)}.r_${slug(code.replace(`-${provider}-`, '_'))}`;
}

// Words after a table name that are not its alias.
const NOT_ALIAS = new Set(
  'on where group order join using limit union having window left right inner cross natural full qualify offset except intersect'.split(
    ' ',
  ),
);

/** The HTTP hunt's SQL with its aliases (people, s, n, stats) turned into the wire's table names. */
export function toWireSql(sql: string, tables: Record<string, string>): string {
  return sql.replace(
    /\b(FROM|JOIN|PIVOT)\s+([a-z_]+)\b(\s+(?:AS\s+)?([a-z_]\w*))?/gi,
    (whole, keyword: string, name: string, aliasPart: string | undefined, alias: string | undefined) => {
      const wire = tables[name];
      if (!wire) return whole;
      if (keyword.toUpperCase() === 'PIVOT') return `${keyword} ${wire}${aliasPart ?? ''}`;
      if (alias && !NOT_ALIAS.has(alias.toLowerCase())) return `${keyword} ${wire}${aliasPart}`;
      return `${keyword} ${wire} AS ${name}${aliasPart ?? ''}`;
    },
  );
}

// The corpus' categories whose refusals hold whatever the grant: files, the network, other
// resources, the engine's settings. (Its other cases depend on the corpus world's grant, not the
// hunt's.) Catalog queries are the wire's to answer, from its own catalog and settings.
const REFUSED_ON_EVERY_DOOR = new Set([
  'file and URL readers',
  'unshared resources through aliases, subqueries, views and CTEs',
  'functions that reveal settings or paths',
]);
const WIRE_CATALOG = /information_schema|pg_catalog|pg_settings|pg_tables|pg_class/i;

function mustRefuseOverWire(c: CorpusCase): boolean {
  return 'refused' in c.expect && REFUSED_ON_EVERY_DOOR.has(c.category) && !WIRE_CATALOG.test(c.sql);
}

/** Every statement of the wire hunt (`thorough`: every hostile function on every column, every corpus case). */
export function wireRequests(world: CanaryWorld, thorough = false): WireRequest[] {
  const c = world.codes;
  const tables = {
    people: wireName(c.PEOPLE),
    s: wireName(c.SANDBOX),
    n: wireName(c.NOISED),
    stats: wireName(c.STATS),
  };
  const out: WireRequest[] = [];
  const add = (persona: WirePersona, sql: string, values?: unknown[], mustRefuse?: boolean) =>
    out.push({
      label: `${persona} ${sql.slice(0, 200)}${values ? ` ${JSON.stringify(values)}` : ''}`,
      persona,
      sql,
      values,
      mustRefuse,
    });
  const fill = (text: string) =>
    text
      .replaceAll('{PEOPLE}', c.PEOPLE)
      .replaceAll('{HIDDEN}', c.HIDDEN)
      .replaceAll('{NOTSHARED}', c.NOTSHARED)
      .replaceAll('{ID0}', world.decoys.id)
      .replaceAll('{ID1}', world.decoys.id)
      .replaceAll('{NAME0}', world.decoys.name)
      .replaceAll('{PHONE0}', world.decoys.phone)
      .replaceAll('{REGION}', '350102');

  // What clients ask first: the catalog, as psql, JDBC and psycopg do, and the session's settings.
  for (const sql of [
    'SELECT * FROM information_schema.tables',
    'SELECT * FROM information_schema.columns',
    'SELECT * FROM information_schema.schemata',
    'SELECT * FROM pg_catalog.pg_namespace',
    'SELECT c.relname, obj_description(c.oid) FROM pg_catalog.pg_class c',
    'SELECT * FROM pg_catalog.pg_description',
    'SELECT * FROM pg_catalog.pg_attribute',
    'SELECT * FROM pg_catalog.pg_tables',
    'SELECT * FROM pg_catalog.pg_settings',
    'SELECT * FROM pg_catalog.pg_roles',
    'SELECT * FROM pg_catalog.pg_user',
    'SELECT * FROM pg_catalog.pg_authid',
    'SELECT * FROM pg_catalog.pg_stat_activity',
    'SELECT current_user, session_user, current_database(), version()',
    `SELECT version(), * FROM ${tables.people}`,
    `SELECT * FROM information_schema.columns, ${tables.people}`,
    `SELECT * FROM pg_catalog.pg_class c JOIN ${wireName(c.HIDDEN)} h ON true`,
    "SELECT current_setting('home_directory')",
    'SHOW search_path',
    'SHOW ALL',
    'SELECT * FROM duckdb_settings()',
    'SELECT * FROM duckdb_tables()',
    'SELECT * FROM duckdb_columns()',
    "SELECT current_setting('allowed_directories'), current_setting('secret_directory')",
    "SELECT length(repeat('x', 2000000000))",
    'SELECT count(*) FROM generate_series(1, 100000000000)',
  ])
    for (const persona of ['key', 'analyst'] as const) add(persona, sql);

  // The HTTP hunt's SQL: the corpus sample, hostile casts and functions, the statistics subset and
  // the sandbox queries, as the key; whole tables of every resource by their wire names.
  for (const corpusCase of corpusSample(world.book.seed, thorough))
    if (!corpusCase.aliases)
      add('key', toWireSql(fill(corpusCase.sql), tables), undefined, mustRefuseOverWire(corpusCase));
  for (const sql of hostileSql(world, thorough)) add('key', toWireSql(sql, tables));
  for (const sql of statisticsSql(world)) add('key', toWireSql(sql, tables));
  for (const sql of [
    'SELECT * FROM s',
    'SELECT sfzh, count(*) FROM s GROUP BY sfzh',
    'SELECT qh, count(*), max(bz) FROM s GROUP BY qh',
    'SELECT qh, count(*) AS k FROM n GROUP BY qh',
    'SELECT qh, max(sfzh), max(bz) FROM n GROUP BY qh',
    "SELECT string_agg(xm, ','), count(*) FROM s",
  ])
    add('key', toWireSql(sql, tables));
  for (const code of Object.values(c))
    for (const persona of ['key', 'analyst'] as const) {
      add(persona, `SELECT * FROM ${wireName(code)}`);
      add(persona, `SELECT * FROM "${code}"`);
    }

  // The extended protocol: parameters bound to decoys and to masked values' clear forms.
  add('key', `SELECT * FROM ${tables.people} WHERE sfzh = $1`, [world.decoys.id]);
  add('key', `SELECT * FROM ${tables.people} WHERE qh = $1`, ['110105']);
  add('key', `SELECT xm, sfzh FROM ${tables.people} WHERE qh <> $1 ORDER BY sfzh`, ['350102']);
  add('key', `SELECT error($1 || sfzh) FROM ${tables.people}`, ['x']);
  add('key', `SELECT count(*) FROM ${tables.stats} WHERE xm = $1`, [world.decoys.name]);
  add('key', `SELECT * FROM ${wireName(c.HIDDEN)} WHERE qh = $1`, ['350102']);

  // COPY: the rows as an export, and ways around the grant.
  for (const select of [
    `SELECT * FROM ${tables.people}`,
    `SELECT * FROM ${wireName(c.HIDDEN)}`,
    `SELECT * FROM ${tables.stats}`,
    `SELECT * FROM ${tables.s}`,
    `SELECT * FROM ${tables.n}`,
    `SELECT * FROM "${c.VERIFYONLY}"`,
    `SELECT nbbh FROM ${tables.people}`,
    `SELECT * FROM read_csv_auto('${world.otherFilePath}')`,
  ]) {
    add('key', `COPY (${select}) TO STDOUT`);
    add('key', `COPY (${select}) TO STDOUT WITH (FORMAT csv, HEADER)`);
  }
  add('key', `COPY ${tables.people} TO STDOUT`);
  add('key', `COPY ${wireName(c.HIDDEN)} TO STDOUT`);
  add('key', `COPY (SELECT * FROM ${tables.people}) TO '/tmp/huitong-canary-copy.csv'`);

  // What the wire refuses: writes, DDL, settings, transactions beyond the trivial, several statements.
  for (const sql of [
    `INSERT INTO ${tables.people} SELECT * FROM ${wireName(c.HIDDEN)}`,
    `CREATE TABLE x AS SELECT * FROM ${wireName(c.HIDDEN)}`,
    `UPDATE ${tables.people} SET bz = nbbh`,
    "SET memory_limit = '10GB'",
    "SET search_path = 'main'",
    'SET enable_external_access = true',
    `BEGIN; SELECT * FROM ${wireName(c.HIDDEN)}; COMMIT`,
    `SELECT 1; SELECT * FROM ${tables.people}; SELECT * FROM ${wireName(c.OTHER)}`,
    `PREPARE p AS SELECT * FROM ${wireName(c.HIDDEN)}`,
    "ATTACH 'dbname=test host=127.0.0.1 user=postgres' AS pg (TYPE postgres)",
    `LISTEN x`,
  ])
    add('key', sql);
  return out;
}

interface Recorder {
  bytes(): Buffer;
  mark(): void;
  since(): Buffer;
}

// A TCP proxy to the listener: each connection's bytes from the listener are kept for the hunt.
function recordingProxy(target: number): Promise<{ server: Server; port: number; last: () => Recorder }> {
  let latest: Recorder | undefined;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const chunks: Buffer[] = [];
    let from = 0;
    latest = {
      bytes: () => Buffer.concat(chunks),
      mark: () => {
        from = chunks.length;
      },
      since: () => Buffer.concat(chunks.slice(from)),
    };
    const upstream = connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    upstream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      client.write(chunk);
    });
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const close = server.close.bind(server);
      server.close = (cb) => {
        for (const s of sockets) s.destroy();
        return close(cb);
      };
      resolve({ server, port, last: () => latest! });
    }),
  );
}

/** Starts a listener for the world and the recording proxy in front of it. */
export async function openWireHunt(world: CanaryWorld): Promise<WireHunt> {
  const wire: PgWireServer = await startPgWire({
    query: world.server.query,
    store: world.server.store,
    audit: world.server.audit,
    port: 0,
    host: '127.0.0.1',
    throttle: {
      account: { backoffAfter: 1000, lockAfter: 2000, lockSeconds: 60 },
      address: { backoffAfter: 1000, lockAfter: 2000, lockSeconds: 60 },
      forgetSeconds: 600,
    },
  });
  const proxy = await recordingProxy(wire.port);

  const open = async (user: string, password: string) => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: proxy.port,
      user,
      password,
      database: 'huitong',
    });
    client.on('error', () => undefined);
    await client.connect();
    return { client, recorder: proxy.last() };
  };

  // The server's own paths are no canary of the book but must not reach a client either.
  const internals = [process.cwd(), homedir(), tmpdir()].filter((p) => p.length > 1);
  // (A path the request itself sent may come back in its refusal: that one is the client's own.)
  const search = (bytes: Buffer, request: string, status: string, sent = ''): Leak[] => {
    const text = `${bytes.toString('utf8')}\n${bytes.toString('latin1')}`;
    const found = world.book
      .find(text)
      .map(({ canary, secret }) => ({ canary: canary.where, secret, request, status: Number(status) || 0 }));
    for (const path of internals)
      if (text.includes(path) && !sent.includes(path))
        found.push({ canary: 'a server path', secret: path, request, status: Number(status) || 0 });
    return found;
  };

  return {
    async run(requests) {
      const leaks: Leak[] = [];
      const refused: Record<string, number> = {};
      const answeredButRefusedOverHttp: string[] = [];
      let answered = 0;
      for (const persona of ['key', 'analyst', 'provider'] as const) {
        const mine = requests.filter((r) => r.persona === persona);
        if (mine.length === 0) continue;
        let session: Awaited<ReturnType<typeof open>> | undefined;
        for (const r of mine) {
          // A FATAL error ends the connection: the next statement opens another.
          if (!session) {
            session = await open(world.wire[persona].user, world.wire[persona].password);
            leaks.push(...search(session.recorder.bytes(), `${persona} startup`, '0'));
          }
          session.recorder.mark();
          const outcome = await session.client.query(r.sql, r.values).then(
            () => '0',
            (e: { code?: string }) => e.code ?? 'no code',
          );
          if (outcome === '0') answered++;
          if (outcome === '0' && r.mustRefuse) answeredButRefusedOverHttp.push(r.label);
          else refused[outcome] = (refused[outcome] ?? 0) + 1;
          leaks.push(...search(session.recorder.since(), r.label, outcome, r.sql));
          if (!outcome.startsWith('0') && /^(08|28|57P)/.test(outcome)) {
            await session.client.end().catch(() => undefined);
            session = undefined;
          }
        }
        await session?.client.end().catch(() => undefined);
      }
      return { leaks, answered, refused, answeredButRefusedOverHttp };
    },
    async failedLogin(user, password) {
      const client = new pg.Client({
        host: '127.0.0.1',
        port: proxy.port,
        user,
        password,
        database: 'huitong',
      });
      client.on('error', () => undefined);
      const error = await client.connect().then(
        () => undefined,
        (e: { code?: string }) => e,
      );
      const recorder = proxy.last();
      await client.end().catch(() => undefined);
      return { bytes: recorder.bytes(), error };
    },
    async close() {
      await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
      await wire.close();
    },
  };
}
