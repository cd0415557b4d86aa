import type { Kysely } from 'kysely';
import { type AuditEvent, openCheckpoint, verifierFromVkey } from '../audit/index.js';
import { AppError } from '../errors/index.js';
import type { OutboundPolicy } from '../net/index.js';
import type { Database } from '../store/index.js';
import { assertConfigCurrent } from './config-accept.js';
import type { FederationConfig, FederationNode } from './config-schema.js';
import { noteBody, verifyCosignature, witnessName } from './cosign.js';
import { readHeldConfig, requireNode } from './node-store.js';
import { type NonceCache, verifyRequest } from './signed-request.js';
import { peerLogKey } from './witness-keys.js';
import { WITNESS_ACTOR } from './witness-peer.js';
import { type WitnessAlert, type WitnessReport, WitnessReportSchema } from './witness-schema.js';
import { alertId, listWitnessAlerts, storeAlert } from './witness-store.js';

type Db = Kysely<Database>;

/** What the root needs to take reports: the store, the outbound policy (to ask a log for its key) and its audit log. */
export interface ReportContext {
  db: Db;
  policy: OutboundPolicy;
  audit: { append(event: AuditEvent): Promise<unknown> };
}

const nodeOf = (config: FederationConfig, nodeId: string) => config.nodes.find((n) => n.nodeId === nodeId);

/** An alert whose evidence the root can check: both checkpoints signed by the subject's log, sent by its witness. */
async function checkedAlert(
  context: ReportContext,
  config: FederationConfig,
  sender: FederationNode,
  alert: WitnessAlert,
): Promise<boolean> {
  const subject = nodeOf(config, alert.subjectNodeId);
  if (!subject || alert.detectedBy !== sender.nodeId || alertId(alert) !== alert.id) return false;
  try {
    const verifier = verifierFromVkey(await peerLogKey(context.db, context.policy, subject));
    const seen = openCheckpoint(alert.evidence.seen, verifier, verifier.name);
    const offered = openCheckpoint(alert.evidence.offered, verifier, verifier.name);
    return alert.kind === 'rollback' ? offered.size < seen.size : !offered.root.equals(seen.root);
  } catch {
    return false;
  }
}

/**
 * Takes a witness's report on the root: each cosignature must be the sender's, over a checkpoint
 * signed by the log it names; each alert must be the sender's and carry two checkpoints signed by
 * the log. Returns how many cosignatures were taken and refused.
 */
export async function acceptReport(
  context: ReportContext,
  config: FederationConfig,
  sender: FederationNode,
  report: WitnessReport,
  now: Date = new Date(),
): Promise<{ accepted: number; rejected: number }> {
  const { db } = context;
  let accepted = 0;
  const witnessKey = Buffer.from(sender.publicKey, 'base64');
  for (const item of report.cosigned) {
    const log = nodeOf(config, item.logNodeId);
    try {
      if (!log || log.nodeId === sender.nodeId) throw new Error('not a peer');
      const verifier = verifierFromVkey(await peerLogKey(db, context.policy, log));
      const checkpoint = openCheckpoint(item.note, verifier, verifier.name);
      const time = verifyCosignature(
        item.cosignature,
        noteBody(item.note),
        witnessName(sender.nodeId),
        witnessKey,
      );
      if (time === undefined) throw new Error('the cosignature does not verify');
      const values = {
        root_hash: checkpoint.root.toString('base64'),
        note: item.note,
        cosignature: item.cosignature.endsWith('\n') ? item.cosignature : `${item.cosignature}\n`,
        cosigned_at: new Date(time * 1000),
      };
      await db
        .insertInto('federation_cosignatures')
        .values({
          log_node_id: log.nodeId,
          tree_size: checkpoint.size,
          witness_node_id: sender.nodeId,
          ...values,
        })
        .onConflict((c) => c.columns(['log_node_id', 'tree_size', 'witness_node_id']).doUpdateSet(values))
        .execute();
      // One row per log and witness: its latest cosignature (older ones are superseded).
      await db
        .deleteFrom('federation_cosignatures')
        .where('log_node_id', '=', log.nodeId)
        .where('witness_node_id', '=', sender.nodeId)
        .where('tree_size', '<', checkpoint.size)
        .execute();
      accepted++;
    } catch {
      // refused: counted, the rest of the report still taken
    }
  }
  for (const alert of report.alerts) {
    if (!(await checkedAlert(context, config, sender, alert))) continue;
    if (await storeAlert(db, alert, now))
      await context.audit.append({
        type: 'federation.fork_reported',
        actor: WITNESS_ACTOR,
        data: {
          alertId: alert.id,
          nodeId: alert.subjectNodeId,
          kind: alert.kind,
          detectedBy: alert.detectedBy,
          index: alert.agreedSize,
        },
      });
  }
  return { accepted, rejected: report.cosigned.length - accepted };
}

/**
 * The root's end of `POST /api/v1/federation/witness/cosignatures`: a report signed by an active
 * member (RFC 9421), answered with every alert the root holds, so each node learns of each fork.
 */
export async function receiveWitnessReport(
  context: ReportContext,
  nonces: NonceCache,
  request: { method: string; targetUri: string; headers: Record<string, string>; body: Buffer },
) {
  const node = await requireNode(context.db);
  if (node.role !== 'root') throw new AppError(403, 'forbidden', 'Only the root node takes witness reports');
  const config = assertConfigCurrent((await readHeldConfig(context.db))?.config);
  const sender = await verifyRequest(request, { config, nonces });
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    body = undefined; // not JSON: refused below like any malformed report
  }
  const parsed = WitnessReportSchema.safeParse(body);
  if (!parsed.success)
    throw new AppError(400, 'bad_request', 'The witness report is malformed', {
      issues: parsed.error.issues.length,
    });
  const counts = await acceptReport(context, config, sender, parsed.data);
  return { ...counts, alerts: await listWitnessAlerts(context.db) };
}
