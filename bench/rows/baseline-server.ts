// The baseline of bench/rows, as a process of its own: the same reads as GET …/rows, straight on
// PostgreSQL (node:http + a pg Pool, named prepared statements, JSON out), so that the one load
// generator drives both the same way. /provider: every column in clear; /consumer: the three
// personal items masked by the very SQL the platform pushes (maskSql of their default masks) and
// the grant's row filter (年龄 ≥ 18) in the WHERE. ?id= reads one row by key, ?qh= the rows of a
// region; both LIMIT 101, as the API asks for a page of 100 and one more to know there is more.
// Argument: one JSON object {port, connectionString, pool}.
import { createServer } from 'node:http';
import pg from 'pg';
import { maskSql, quoteIdent } from '../../src/privacy/index.js';
import { defaultMask } from '../../src/sharing/index.js';
import { ITEMS } from './items.js';

const {
  port,
  connectionString,
  pool: size,
} = JSON.parse(process.argv[2] ?? '{}') as {
  port: number;
  connectionString: string;
  pool: number;
};
const pool = new pg.Pool({ connectionString, max: size });

const clear = ITEMS.map((i) => quoteIdent(i.field, 'postgres')).join(', ');
const masked = ITEMS.map(
  (i) =>
    `${maskSql(defaultMask({ ...i, personalKind: i.personalKind ?? null }), quoteIdent(i.field, 'postgres'), 'postgres')} AS ${quoteIdent(i.field, 'postgres')}`,
).join(', ');
const FROM = 'bench_rows.people';
const STATEMENTS = {
  'provider-id': `SELECT ${clear} FROM ${FROM} WHERE id = $1 LIMIT 101`,
  'provider-qh': `SELECT ${clear} FROM ${FROM} WHERE qh = $1 LIMIT 101`,
  'consumer-id': `SELECT ${masked} FROM ${FROM} WHERE age >= 18 AND id = $1 LIMIT 101`,
  'consumer-qh': `SELECT ${masked} FROM ${FROM} WHERE age >= 18 AND qh = $1 LIMIT 101`,
} as const;

const server = createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', 'http://x');
  const who = url.pathname.slice(1);
  const by = url.searchParams.has('id') ? 'id' : 'qh';
  const name = `${who}-${by}` as keyof typeof STATEMENTS;
  const text = STATEMENTS[name];
  if (!text) {
    response.writeHead(404).end();
    return;
  }
  try {
    const value = by === 'id' ? Number(url.searchParams.get('id')) : url.searchParams.get('qh');
    const { rows } = await pool.query({ name, text, values: [value] });
    const body = JSON.stringify({ rows });
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
  } catch (error) {
    response.writeHead(500).end(String(error));
  }
});
server.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
