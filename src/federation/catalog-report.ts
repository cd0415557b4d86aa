import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../errors/index.js';
import type { OutboundPolicy } from '../net/index.js';
import type { Database } from '../store/index.js';
import { committedHighWater, pendingChanges, resequenceAbove } from './catalog-changes.js';
import {
  type CatalogAck,
  CatalogAckSchema,
  REPORT_BATCH_MAX,
  REPORT_MAX_BYTES,
  type ReportedChange,
} from './catalog-schema.js';
import { readReportState, recordReportError, recordReportSuccess } from './catalog-state.js';
import { assertConfigCurrent } from './config-accept.js';
import type { FederationNode } from './config-schema.js';
import { readHeldConfig, readNode } from './node-store.js';
import { peerRequest } from './peer-http.js';
import { type NodeSigner, signRequest, verifyResponse } from './signed-request.js';

/** The parent's endpoint for catalog reports. */
export const CATALOG_REPORT_PATH = '/api/v1/federation/catalog/report';

/** How a node reports: batch size, how long it waits for its parent, how often it reports when idle. */
export interface ReportOptions {
  batch?: number;
  timeoutMs?: number;
  /** With nothing new, a report still goes up this often, so that the parent sees the node alive. */
  heartbeatSeconds?: number;
  now?: () => Date;
}

type Signed = { config: Parameters<typeof verifyResponse>[2]['config']; parent: FederationNode };

async function send(
  policy: OutboundPolicy,
  signer: NodeSigner,
  to: Signed,
  report: { from: number; to: number; changes: ReportedChange[] },
  timeoutMs: number,
): Promise<CatalogAck> {
  const url = new URL(CATALOG_REPORT_PATH, to.parent.url).toString();
  const body = Buffer.from(JSON.stringify({ nodeId: signer.nodeId, ...report }));
  const headers = await signRequest(signer, {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    body,
  });
  let answer: Awaited<ReturnType<typeof peerRequest>>;
  try {
    answer = await peerRequest(policy, new URL(url), { method: 'POST', headers, body, timeoutMs });
  } catch (error) {
    throw new AppError(502, 'peer_unreachable', `The parent node ${to.parent.nodeId} cannot be reached`, {
      nodeId: to.parent.nodeId,
      reason: error instanceof Error ? error.message.slice(0, 200) : String(error),
    });
  }
  if (answer.status !== 200) {
    let refusal: { error?: { code?: string; message?: string } } = {};
    try {
      refusal = JSON.parse(answer.body.toString('utf8'));
    } catch {
      // not our error shape (a proxy's page): the status alone is recorded
    }
    throw new AppError(
      answer.status >= 400 && answer.status < 600 ? answer.status : 502,
      (refusal.error?.code ?? 'peer_unreachable') as 'peer_unreachable',
      refusal.error?.message ?? `The parent node answered ${answer.status}`,
    );
  }
  await verifyResponse(
    { status: answer.status, headers: answer.headers, body: answer.body },
    { method: 'POST', url, headers },
    {
      config: to.config,
      from: to.parent.nodeId,
    },
  );
  const ack = CatalogAckSchema.safeParse(JSON.parse(answer.body.toString('utf8')));
  if (
    !ack.success ||
    ack.data.reporter !== signer.nodeId ||
    ack.data.to !== report.to ||
    ack.data.nodeId !== to.parent.nodeId
  )
    throw new AppError(502, 'federation_signature_invalid', 'The parent acknowledged another report');
  return ack.data;
}

/**
 * Reports this node's catalog changes to its parent once: every change after the cursor the
 * parent last acknowledged, in batches, each moving the cursor only on the parent's signed
 * acknowledgement. Nothing to do on a node without a parent. Failures are recorded (the last
 * error and its code, e.g. peer_unreachable) and thrown; the next run starts from the same cursor.
 */
export async function reportCatalogOnce(
  db: Kysely<Database>,
  policy: OutboundPolicy,
  key: KeyObject,
  options: ReportOptions = {},
): Promise<{ sent: number; cursor: number } | undefined> {
  const node = await readNode(db);
  if (!node?.parent_node_id) return undefined;
  const now = options.now ?? (() => new Date());
  const signer: NodeSigner = { nodeId: node.node_id, key };
  try {
    const config = assertConfigCurrent((await readHeldConfig(db))?.config, now());
    const parent = config.nodes.find((n) => n.nodeId === node.parent_node_id);
    if (!parent)
      throw new AppError(
        503,
        'federation_node_unknown',
        `The parent node ${node.parent_node_id} is not listed`,
      );
    const state = await readReportState(db);
    let cursor = state.cursor;
    let highWater = await committedHighWater(db);
    if (highWater < cursor) {
      await resequenceAbove(db, cursor);
      highWater = await committedHighWater(db);
    }
    const heartbeatDue =
      !state.lastSuccessAt ||
      now().getTime() - state.lastSuccessAt.getTime() >= (options.heartbeatSeconds ?? 30) * 1000;
    let sent = 0;
    for (let round = 0; round < 20; round++) {
      let limit = options.batch ?? REPORT_BATCH_MAX;
      let { changes, to } = await pendingChanges(db, node.node_id, cursor, highWater, limit);
      // A batch also stays under the parent's body limit for reports (entries with many items).
      while (limit > 1 && Buffer.byteLength(JSON.stringify(changes)) > REPORT_MAX_BYTES / 2) {
        limit = Math.ceil(limit / 2);
        ({ changes, to } = await pendingChanges(db, node.node_id, cursor, highWater, limit));
      }
      if (to <= cursor && !(heartbeatDue && round === 0)) break;
      await send(
        policy,
        signer,
        { config, parent },
        { from: cursor, to: Math.max(to, cursor), changes },
        options.timeoutMs ?? 5000,
      );
      cursor = Math.max(to, cursor);
      sent += changes.length;
      await recordReportSuccess(db, cursor, now());
      if (cursor >= highWater) break;
    }
    return { sent, cursor };
  } catch (error) {
    await recordReportError(db, error, now());
    throw error;
  }
}

/**
 * Runs reportCatalogOnce every `seconds` (HUITONG_FEDERATION_REPORT_SECONDS) until stopped, one
 * run at a time; errors are recorded and logged, never thrown. The key is read on the first run
 * that has a parent to report to.
 */
export function startCatalogReporter(
  db: Kysely<Database>,
  policy: OutboundPolicy,
  loadKey: () => Promise<KeyObject>,
  seconds = 2,
  log: (error: unknown) => void = () => undefined,
  options: ReportOptions = {},
): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const run = async () => {
    try {
      const node = await readNode(db);
      if (node?.parent_node_id) await reportCatalogOnce(db, policy, await loadKey(), options);
    } catch (error) {
      log(error);
    }
    if (!stopped) {
      timer = setTimeout(run, seconds * 1000);
      timer.unref();
    }
  };
  timer = setTimeout(run, seconds * 1000);
  timer.unref();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
