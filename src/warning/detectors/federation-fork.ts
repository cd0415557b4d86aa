import { type Detector, NONE } from './detector.js';
import { stringField } from './entries.js';

/** The entries a fork of a member's log leaves: found by this node's witness, or relayed by the root. */
const FORK_TYPES = new Set(['federation.fork_detected', 'federation.fork_reported']);

/**
 * A federation member's audit log forked or rolled back (docs/federation.md, witnessed logs):
 * one alert per node, whichever witnesses saw it, since the node's record can no longer be relied
 * upon from the index named.
 */
export const federationLogFork: Detector = {
  rule: 'federation_log_fork',
  windowMinutes: () => 0,
  observe(entry, ctx) {
    const nodeId = ctx.quiet || !FORK_TYPES.has(entry.type) ? undefined : stringField(entry, 'nodeId');
    if (!nodeId) return NONE;
    const kind = stringField(entry, 'kind') === 'rollback' ? 'rollback' : 'fork';
    const detectedBy = stringField(entry, 'detectedBy') ?? '本节点';
    const index = typeof entry.data.index === 'number' ? entry.data.index : null;
    return [
      {
        rule: 'federation_log_fork',
        subject: `node:${nodeId}`,
        subjectOrgId: null,
        summary: `联邦节点 ${nodeId} 的审计日志${kind === 'rollback' ? '回滚' : '分叉'}：自第 ${index ?? '?'} 条起与其此前签名的历史不一致（见证节点 ${detectedBy}）`,
        entries: [entry.index],
        time: entry.at,
        details: { nodeId, kind, index, detectedBy, alertId: stringField(entry, 'alertId') ?? null },
      },
    ];
  },
};
