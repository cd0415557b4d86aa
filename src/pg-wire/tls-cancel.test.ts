import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WireWorld, wireWorld } from '../../test/pg-wire/world.js';
import { toolAvailable } from '../../test/support/tools.js';
import { type PgWireServer, startPgWire } from './index.js';

// TLS (HUITONG_PG_TLS_CERT/KEY: then required of every client) and cancel requests, end to end
// with node-postgres. The certificate is made for the test by Debian's openssl.
const opensslInstalled = await toolAvailable('openssl');

describe.skipIf(!opensslInstalled)('PostgreSQL wire protocol: TLS and cancel requests', () => {
  let world: WireWorld;
  let tls: PgWireServer;
  const dir = mkdtempSync(join(tmpdir(), 'huitong-pgwire-tls-'));
  const people = () => `${world.schema}.r_${world.people.split('-')[0]}_${world.people.split('-').at(-1)}`;
  const client = (port: number, options: Partial<pg.ClientConfig> = {}) => {
    const c = new pg.Client({
      host: '127.0.0.1',
      port,
      user: world.user,
      password: world.key,
      database: 'huitong',
      ...options,
    });
    c.on('error', () => undefined);
    return c;
  };

  beforeAll(async () => {
    world = await wireWorld('pglite');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    tls = await startPgWire({
      query: world.server.query,
      store: world.server.store,
      audit: world.server.audit,
      port: 0,
      host: '127.0.0.1',
      tls: { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) },
      throttle: {
        account: { backoffAfter: 100, lockAfter: 200, lockSeconds: 60 },
        address: { backoffAfter: 100, lockAfter: 200, lockSeconds: 60 },
        forgetSeconds: 600,
      },
    });
  }, 180_000);
  afterAll(async () => {
    await tls?.close();
    await world?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads over TLS (sslmode=require) with a key, masks and the row filter holding', async () => {
    const c = client(tls.port, { ssl: { rejectUnauthorized: false } });
    await c.connect();
    try {
      const { rows } = await c.query(`SELECT xm, sfzh, qh FROM ${people()} ORDER BY xm`);
      expect(rows.length).toBe(20);
      expect(new Set(rows.map((r) => r.qh))).toEqual(new Set(['鼓楼区']));
      expect(rows.every((r) => /\*/.test(r.sfzh))).toBe(true);
    } finally {
      await c.end();
    }
  });

  it('refuses a client that will not use TLS (08P01), and a wrong key inside TLS with 28P01', async () => {
    await expect(client(tls.port, { ssl: false }).connect()).rejects.toMatchObject({ code: '08P01' });
    await expect(
      client(tls.port, { ssl: { rejectUnauthorized: false }, password: 'ht_wrong' }).connect(),
    ).rejects.toMatchObject({ code: '28P01' });
  });

  it('stops a query on a cancel request (57014), and the connection serves the next one', async () => {
    const c = client(world.wire.port);
    await c.connect();
    try {
      // 20 rows past the row filter, to the fourth power: 160,000 rows, seconds to send.
      const sql = `SELECT a.xm, b.xm AS b, c.xm AS c, d.xm AS d FROM ${people()} a, ${people()} b, ${people()} c, ${people()} d`;
      const { processID, secretKey } = c as unknown as { processID: number; secretKey: number };
      let rows = 0;
      const outcome = new Promise<{ code?: string }>((resolve) => {
        const query = c.query(new pg.Query(sql));
        query.on('row', () => {
          // The first row is out: the query is running. Cancel it as psql's ^C does.
          if (rows++ === 0) {
            const socket = connect(world.wire.port, '127.0.0.1', () => {
              const request = Buffer.alloc(16);
              request.writeInt32BE(16, 0);
              request.writeInt32BE(80877102, 4);
              request.writeInt32BE(processID, 8);
              request.writeInt32BE(secretKey, 12);
              socket.end(request);
            });
            socket.on('error', () => undefined);
          }
        });
        query.on('error', (error: Error & { code?: string }) => resolve(error));
        query.on('end', () => resolve({}));
      });
      expect(await outcome).toMatchObject({ code: '57014' });
      expect(rows).toBeGreaterThan(0);
      expect(rows).toBeLessThan(160_000);
      const next = await c.query(`SELECT count(*) AS n FROM ${people()}`);
      expect(Number(next.rows[0].n)).toBe(20);
    } finally {
      await c.end();
    }
  });

  it('ignores a cancel request with the wrong secret', async () => {
    const c = client(world.wire.port);
    await c.connect();
    try {
      const { processID, secretKey } = c as unknown as { processID: number; secretKey: number };
      await new Promise<void>((resolve) => {
        const socket = connect(world.wire.port, '127.0.0.1', () => {
          const request = Buffer.alloc(16);
          request.writeInt32BE(16, 0);
          request.writeInt32BE(80877102, 4);
          request.writeInt32BE(processID, 8);
          request.writeInt32BE(secretKey ^ 1, 12);
          socket.end(request);
        });
        socket.on('close', () => resolve());
        socket.on('error', () => resolve());
      });
      const { rows } = await c.query(`SELECT count(*) AS n FROM ${people()}`);
      expect(Number(rows[0].n)).toBe(20);
    } finally {
      await c.end();
    }
  });
});
