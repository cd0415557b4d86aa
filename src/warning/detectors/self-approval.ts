import type { Detector } from './detector.js';
import { stringField } from './entries.js';

/** A steward approving a request from their own organisation: the approver's and the requester's organisations are one. */
export const selfApproval: Detector = {
  rule: 'self_approval',
  windowMinutes: () => 0,
  async observe(entry, ctx) {
    if (ctx.quiet || entry.type !== 'access_request.approved' || entry.actor.kind !== 'user') return [];
    const requestId = stringField(entry, 'accessRequestId');
    if (!requestId || entry.actor.orgId === null) return [];
    const requester = await ctx.lookups.requestOrg(requestId);
    if (requester !== entry.actor.orgId) return [];
    return [
      {
        rule: 'self_approval',
        subject: `user:${entry.actor.id}`,
        subjectOrgId: entry.actor.orgId,
        summary: `用户 ${entry.actor.id} 审批通过了本单位提出的共享申请 ${requestId}`,
        entries: [entry.index],
        time: new Date(entry.time),
        details: { accessRequestId: requestId, step: entry.data.step ?? null, resources: entry.resources },
      },
    ];
  },
};
