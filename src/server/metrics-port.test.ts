import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/multiprocess/server-process.js';
import { parseScrape } from '../../test/support/prometheus.js';
import { startMetricsPort } from './metrics-port.js';

describe('HUITONG_METRICS_PORT', () => {
  let server: Awaited<ReturnType<typeof startMetricsPort>>;
  let url: string;
  beforeAll(async () => {
    server = await startMetricsPort(await freePort());
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('serves /metrics without a token, on 127.0.0.1 only', async () => {
    expect((server.address() as AddressInfo).address).toBe('127.0.0.1');
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const scrape = parseScrape(await response.text());
    expect(scrape.families.some((f) => f.name === 'huitong_audit_queue_depth')).toBe(true);
  });

  it('answers nothing else', async () => {
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/api/health`)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST' })).status).toBe(404);
  });
});
