import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors/index.js';
import { createOutboundPolicy } from '../../net/index.js';
import { ChannelError, type PushBatch } from './types.js';
import { generateWebhookSecret, validateWebhookUrl, webhookDriver, webhookMessageId } from './webhook.js';

// A real receiver on 127.0.0.1: the path chooses its answer; every request is kept raw.
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const loopback = createOutboundPolicy({ allow: ['127.0.0.1'] });
const strict = createOutboundPolicy();

function batch(first: number, count: number, body?: string): PushBatch {
  const events = Array.from({ length: count }, (_, i) => ({
    seq: first + i,
    eventId: `ev${String(first + i).padStart(4, '0')}`,
    op: 'insert',
    key: { id: first + i },
    keyId: `k${first + i}`,
    row: { id: first + i, name: '张三' },
    createdAt: '2026-12-06T19:00:00.000Z',
  }));
  return {
    target: { subscriptionId: 'sub-1', orgId: 'org-1', applicationId: 'app-1', resourceCode: 'PEOPLE' },
    events,
    columns: [{ name: 'id', type: 'integer' }],
    keyColumns: ['id'],
    snapshot: false,
    // Deliberately spaced unlike JSON.stringify: the driver must send these bytes, not re-serialise.
    body: body ?? `{ "events" : ${JSON.stringify(events, null, 1)} , "note": "汇通" }`,
  };
}

async function rejection(promise: Promise<unknown>): Promise<ChannelError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

function answer(path: string, response: ServerResponse): void {
  const status = /^\/status\/(\d+)$/.exec(path)?.[1];
  if (status) return void response.writeHead(Number(status)).end('receiver says no: not to be logged');
  if (path === '/moved') return void response.writeHead(302, { location: '/ok' }).end();
  if (path === '/slow') return; // never answers; the driver's timeout must end the wait
  if (path === '/endless') {
    // A 200 followed by a body that never ends: the driver reads a capped amount, then leaves.
    response.writeHead(200);
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const pump = () => {
      while (!response.destroyed && response.write(chunk));
      if (!response.destroyed) response.once('drain', pump);
    };
    pump();
    return;
  }
  response.writeHead(path === '/ok' ? 200 : 404).end('{"received":true}');
}

describe('webhook driver', () => {
  const secret = generateWebhookSecret();
  const received: Received[] = [];
  let server: Server;
  let base: string;
  let closedPort: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const parts: Buffer[] = [];
      request.on('data', (c: Buffer) => parts.push(c));
      request.on('end', () => {
        const path = request.url ?? '/';
        received.push({ path, headers: request.headers, body: Buffer.concat(parts).toString('utf8') });
        answer(path, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A port that was just free: nothing listens there (receiver down).
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    closedPort = (gone.address() as AddressInfo).port;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const driver = (path: string, timeoutMs?: number, policy = loopback) =>
    webhookDriver({ policy, url: `${base}${path}`, secret, timeoutMs });
  const last = () => received.at(-1) as Received;

  it('POSTs the released body as is, signed so that the receiver verifies it', async () => {
    const sent = batch(1, 3);
    await driver('/ok').deliver(sent);
    const got = last();
    expect(got.path).toBe('/ok');
    expect(got.body).toBe(sent.body);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toBe('Huitong-Webhooks/1');
    expect(got.headers['webhook-id']).toBe(webhookMessageId(sent));
    expect(Math.abs(Number(got.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(5);

    const headers = got.headers as Record<string, string>;
    expect(new Webhook(secret).verify(got.body, headers)).toMatchObject({ note: '汇通' });
    expect(() => new Webhook(secret).verify(got.body.replace('张三', '李四'), headers)).toThrow(
      WebhookVerificationError,
    );
    expect(() => new Webhook(generateWebhookSecret()).verify(got.body, headers)).toThrow(
      WebhookVerificationError,
    );
  });

  it('gives a batch the same webhook-id on every attempt, and another batch another id', async () => {
    const sent = batch(10, 2);
    await rejection(driver('/status/503').deliver(sent));
    const failedId = last().headers['webhook-id'];
    await driver('/ok').deliver(sent);
    await driver('/ok').deliver(sent);
    const ids = received.slice(-2).map((r) => r.headers['webhook-id']);
    expect(ids).toEqual([failedId, failedId]);
    expect(webhookMessageId(batch(10, 3))).not.toBe(failedId);
    expect(webhookMessageId(batch(11, 2))).not.toBe(failedId);
    expect(
      webhookMessageId({ ...batch(10, 2), target: { ...sent.target, subscriptionId: 'sub-2' } }),
    ).not.toBe(failedId);
  });

  it('retries 5xx, 408 and 429; gives up at once on any other 4xx', async () => {
    for (const status of [500, 503, 408, 429]) {
      const error = await rejection(driver(`/status/${status}`).deliver(batch(1, 1)));
      expect(error).toMatchObject({ code: `webhook_status_${status}`, retryable: true });
      // The receiver's body is read and dropped: it is in no error the platform keeps.
      expect(error.message).not.toContain('receiver says no');
    }
    for (const status of [404, 401, 400, 413]) {
      const error = await rejection(driver(`/status/${status}`).deliver(batch(1, 1)));
      expect(error).toMatchObject({ code: `webhook_status_${status}`, retryable: false });
    }
  });

  it('does not follow a redirect', async () => {
    const before = received.length;
    const error = await rejection(driver('/moved').deliver(batch(1, 1)));
    expect(error).toMatchObject({ code: 'webhook_redirect', retryable: false });
    expect(received.slice(before).map((r) => r.path)).toEqual(['/moved']);
  });

  it('gives up on a slow receiver after the timeout, to try again later', async () => {
    const started = Date.now();
    const error = await rejection(driver('/slow', 300).deliver(batch(1, 1)));
    expect(error).toMatchObject({ code: 'webhook_timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reads a capped amount of an endless answer, and counts its 2xx', async () => {
    const started = Date.now();
    await driver('/endless', 5000).deliver(batch(1, 1));
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('retries when the receiver is down or its name does not resolve', async () => {
    const down = webhookDriver({ policy: loopback, url: `http://127.0.0.1:${closedPort}/ok`, secret });
    expect(await rejection(down.deliver(batch(1, 1)))).toMatchObject({
      code: 'webhook_unreachable',
      retryable: true,
    });
    const nowhere = webhookDriver({ policy: loopback, url: 'http://receiver.invalid/ok', secret });
    const error = await rejection(nowhere.deliver(batch(1, 1)));
    expect(error).toMatchObject({ code: 'webhook_unreachable', retryable: true });
    expect(error.message).toMatch(/does not resolve/);
  });

  it('refuses, for good, an address the outbound policy does not allow', async () => {
    const before = received.length;
    const port = (server.address() as AddressInfo).port;
    for (const url of [`${base}/ok`, `http://localhost:${port}/ok`, `http://0x7f000001:${port}/ok`]) {
      const error = await rejection(webhookDriver({ policy: strict, url, secret }).deliver(batch(1, 1)));
      expect(error).toMatchObject({ code: 'webhook_destination_not_allowed', retryable: false });
      // The consumer is told no address: the reason (with the resolved address) is the cause, for the log.
      expect(error.message).not.toMatch(/127\.0\.0\.1/);
      expect((error as { cause?: unknown }).cause).toMatchObject({ code: 'EOUTBOUND' });
    }
    expect(received.length).toBe(before);
  });

  it('fails each send, without retrying, when its URL or secret cannot be used', async () => {
    for (const options of [
      { url: 'ftp://example.com/x', secret },
      { url: 'not a url', secret },
      { url: `${base}/ok`, secret: '' },
    ]) {
      const error = await rejection(webhookDriver({ policy: loopback, ...options }).deliver(batch(1, 1)));
      expect(error).toMatchObject({ code: 'webhook_config_invalid', retryable: false });
    }
  });

  it('aborts a send under way when closed, to try again later', async () => {
    const slow = driver('/slow', 10_000);
    const sending = rejection(slow.deliver(batch(1, 1)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await slow.close();
    expect(await sending).toMatchObject({ code: 'webhook_closed', retryable: true });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await rejection(slow.deliver(batch(1, 1)))).toMatchObject({ code: 'webhook_closed' });
  });
});

describe('generateWebhookSecret', () => {
  it('makes a fresh whsec_ secret of 24 random bytes each time', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(24);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});

describe('validateWebhookUrl', () => {
  const refusedWith = (policy: typeof strict, url: string) => {
    try {
      validateWebhookUrl(policy, url);
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      return error as AppError;
    }
    throw new Error(`${url} was accepted`);
  };

  it('accepts an http or https URL with a host', () => {
    for (const url of [
      'https://hooks.example.com/huitong?x=1',
      'http://example.com:8080/in',
      'https://1.1.1.1/',
    ]) {
      expect(() => validateWebhookUrl(strict, url)).not.toThrow();
    }
    expect(() => validateWebhookUrl(loopback, 'http://127.0.0.1:9000/in')).not.toThrow();
  });

  it('refuses a malformed URL as webhook_url_invalid (400)', () => {
    const cases = [
      'ftp://x',
      'not a url',
      '',
      'http://user:pw@host/',
      'https://token@host/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      `https://example.com/${'a'.repeat(2000)}`,
    ];
    for (const url of cases) {
      expect(refusedWith(strict, url)).toMatchObject({ status: 400, code: 'webhook_url_invalid' });
    }
  });

  it('refuses an IP address the outbound policy refuses as destination_not_allowed (400)', () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://[::1]:8080/',
      'https://10.0.0.7/',
      'http://169.254.169.254/',
    ]) {
      const error = refusedWith(strict, url);
      expect(error).toMatchObject({ status: 400, code: 'destination_not_allowed' });
      expect(error.logDetails).toMatchObject({ reason: expect.any(String) });
    }
    // Metadata stays refused even where loopback is allowed.
    expect(refusedWith(loopback, 'http://169.254.169.254/')).toMatchObject({
      code: 'destination_not_allowed',
    });
  });
});
