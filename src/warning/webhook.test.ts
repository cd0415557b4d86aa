import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testAuditKey } from '../../test/support/http.js';
import { TEST_OUTBOUND_ALLOW } from '../../test/support/services.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import { failedLogin, plus, shanghai } from '../../test/support/warning.js';
import { type AuditLog, createAuditLog } from '../audit/index.js';
import { createOutboundPolicy } from '../net/index.js';
import type { Store } from '../store/index.js';
import { WarningEngine, webhookSender } from './index.js';

// HUITONG_WARNING_WEBHOOK_URL: each new alert is posted as JSON once its evaluation commits,
// through the outbound policy; a grouped repeat is not posted again.
describeEachStore('the early-warning webhook', (kind) => {
  let store: Store;
  let audit: AuditLog;
  const received: { path: string; type: string; body: unknown }[] = [];
  const hook = createServer((request: IncomingMessage, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        type: String(request.headers['content-type']),
        body: JSON.parse(text),
      });
      response.writeHead(204).end();
    });
  });

  beforeAll(async () => {
    store = await openTestStore(kind);
    audit = await createAuditLog(store, { key: testAuditKey(), checkpointIntervalMs: 0 });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    hook.close();
    await audit.close();
    await store.close();
  });

  it('posts each new alert to the webhook, and not its grouped repeats', async () => {
    const { port } = hook.address() as AddressInfo;
    const policy = createOutboundPolicy({ allow: TEST_OUTBOUND_ALLOW });
    const send = webhookSender(policy, new URL(`http://127.0.0.1:${port}/hooks/huitong`));
    const engine = new WarningEngine(store.db, { onAlert: send });
    const start = shanghai('2026-12-02T10:00:00');
    const fail = (from: number, to: number) =>
      audit.appendMany(
        Array.from({ length: to - from }, (_, i) =>
          failedLogin('192.0.2.99', `u-${from + i}`, plus(start, from + i)),
        ),
      );
    await fail(0, 10);
    await engine.evaluate();
    await fail(10, 13);
    await engine.evaluate();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      path: '/hooks/huitong',
      type: 'application/json',
      body: {
        kind: 'huitong.warning.alert',
        alert: { rule: 'brute_force', subject: 'address:192.0.2.99', severity: 'high' },
      },
    });
  });
});
