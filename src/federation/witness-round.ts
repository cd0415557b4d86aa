import { AppError } from '../errors/index.js';
import { assertConfigCurrent } from './config-accept.js';
import type { FederationConfig } from './config-schema.js';
import { type NodeRow, readHeldConfig, readNode } from './node-store.js';
import { peerRequest } from './peer-http.js';
import { signRequest, verifyResponse } from './signed-request.js';
import {
  type KeyedWitnessContext,
  type PeerOutcome,
  WITNESS_ACTOR,
  type WitnessContext,
  witnessPeer,
} from './witness-peer.js';
import { witnessedPeers } from './witness-peers.js';
import { acceptReport } from './witness-root.js';
import { type WitnessReport, WitnessReportAnswerSchema } from './witness-schema.js';
import { latestCosignatures, listWitnessAlerts, recordCheck, storeAlert } from './witness-store.js';

/** The path of the root's report endpoint. */
export const WITNESS_REPORT_PATH = '/api/v1/federation/witness/cosignatures';

/** What one round did: each peer's outcome (or error), and the report to the root. */
export interface RoundSummary {
  peers: Record<string, PeerOutcome | { error: string }>;
  report: { accepted: number; rejected: number; alerts: number } | { error: string } | null;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Sends the report to the root (signed) and holds the alerts its signed answer relays. */
async function reportToRoot(
  context: KeyedWitnessContext,
  node: NodeRow,
  config: FederationConfig,
  report: WitnessReport,
) {
  if (!node.root_url) throw new AppError(503, 'federation_not_joined', 'This node knows no root');
  const url = new URL(WITNESS_REPORT_PATH, node.root_url).toString();
  const body = Buffer.from(JSON.stringify(report));
  const headers = await signRequest(
    { nodeId: node.node_id, key: context.key },
    { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
  );
  const answer = await peerRequest(context.policy, new URL(url), { method: 'POST', headers, body });
  if (answer.status !== 200) throw new Error(`the root answered ${answer.status} to the witness report`);
  await verifyResponse(answer, { method: 'POST', url, headers }, { config, from: config.rootNodeId });
  const parsed = WitnessReportAnswerSchema.parse(JSON.parse(answer.body.toString('utf8')));
  const now = context.now?.() ?? new Date();
  for (const alert of parsed.alerts)
    if (alert.detectedBy !== node.node_id && (await storeAlert(context.db, alert, now)))
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
  return { accepted: parsed.accepted, rejected: parsed.rejected, alerts: parsed.alerts.length };
}

/**
 * One witness round: checks and cosigns each witnessed peer's log, then reports the latest
 * cosignatures and this node's alerts to the root (the root takes its own report directly).
 * A peer that cannot be reached is recorded and retried next round; it is not an alert.
 */
export async function witnessRound(unkeyed: WitnessContext): Promise<RoundSummary> {
  const summary: RoundSummary = { peers: {}, report: null };
  const node = await readNode(unkeyed.db);
  const held = await readHeldConfig(unkeyed.db);
  if (!node || !held) return summary;
  const context = { ...unkeyed, key: await unkeyed.nodeKey() };
  const config = assertConfigCurrent(held.config, context.now?.());
  for (const peer of witnessedPeers(config, node.node_id)) {
    try {
      summary.peers[peer.nodeId] = await witnessPeer(context, node.node_id, peer);
    } catch (error) {
      summary.peers[peer.nodeId] = { error: message(error) };
      await recordCheck(context.db, peer.nodeId, context.now?.() ?? new Date(), { error: message(error) });
    }
  }
  const report = {
    cosigned: await latestCosignatures(context.db),
    alerts: await listWitnessAlerts(context.db, { detectedBy: node.node_id }),
  };
  try {
    if (node.role === 'root') {
      const self = config.nodes.find((n) => n.nodeId === node.node_id)!;
      const counts = await acceptReport(context, config, self, report);
      summary.report = { ...counts, alerts: report.alerts.length };
    } else summary.report = await reportToRoot(context, node, config, report);
  } catch (error) {
    summary.report = { error: message(error) };
  }
  return summary;
}

/** Runs a witness round every `seconds` until stopped; a round never overlaps the previous one. */
export function startWitness(
  context: WitnessContext,
  seconds: number,
  log: (error: unknown) => void = () => undefined,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    witnessRound(context)
      .catch(log)
      .finally(() => {
        running = false;
      });
  }, seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
