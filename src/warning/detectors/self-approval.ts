import { type Detector, NONE } from './detector.js';
import { type SeenEntry, stringField } from './entries.js';

/** The access request an approval by a person of an organisation approved. */
const approvedRequest = (entry: SeenEntry) =>
  entry.type === 'access_request.approved' && entry.actor.kind === 'user' && entry.actor.orgId !== null
    ? stringField(entry, 'accessRequestId')
    : undefined;

/** A steward approving a request from their own organisation: the approver's and the requester's organisations are one. */
export const selfApproval: Detector = {
  rule: 'self_approval',
  windowMinutes: () => 0,
  async prepare(entries, ctx) {
    if (ctx.quiet) return;
    const ids = entries.map(approvedRequest).filter((id) => id !== undefined);
    if (ids.length > 0) await ctx.lookups.loadRequests(ids);
  },
  observe(entry, ctx) {
    const requestId = ctx.quiet ? undefined : approvedRequest(entry);
    if (!requestId || ctx.lookups.requestOrg(requestId) !== entry.actor.orgId) return NONE;
    return [
      {
        rule: 'self_approval',
        subject: `user:${entry.actor.id}`,
        subjectOrgId: entry.actor.orgId,
        summary: `用户 ${entry.actor.id} 审批通过了本单位提出的共享申请 ${requestId}`,
        entries: [entry.index],
        time: entry.at,
        details: { accessRequestId: requestId, step: entry.data.step ?? null, resources: entry.resources },
      },
    ];
  },
};
