import { z } from 'zod';
import { ResourceSchema } from '../catalog/index.js';

const NodeId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/);
const Seq = z.number().int().min(0);

/** The most entries one report carries (目录上报批次). */
export const REPORT_BATCH_MAX = 1000;

/** The largest report body a parent takes (beyond the API's general body limit); senders stay under half. */
export const REPORT_MAX_BYTES = 16 * 1024 * 1024;

/**
 * One change of the reported catalog: an entry published or updated (its whole view), or retired
 * (withdrawn, unpublished, made 不予共享 and not open). `seq` is the sender's change sequence;
 * `originNodeId` the node that owns it (the sender, or a city the sending province relays).
 */
export const ReportedChangeSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('upsert'), seq: Seq, originNodeId: NodeId, resource: ResourceSchema }),
  z.strictObject({ op: z.literal('retire'), seq: Seq, originNodeId: NodeId, resourceId: z.uuid() }),
]);
export type ReportedChange = z.infer<typeof ReportedChangeSchema>;

/** A report (目录上报): the sender's changes after `from` up to and including `to`. */
export const CatalogReportSchema = z
  .strictObject({
    nodeId: NodeId,
    from: Seq,
    to: Seq,
    changes: z.array(ReportedChangeSchema).max(REPORT_BATCH_MAX),
  })
  .refine((r) => r.from <= r.to, 'from must not pass to')
  .refine((r) => r.changes.every((c) => c.seq > r.from && c.seq <= r.to), 'changes lie within (from, to]');
export type CatalogReport = z.infer<typeof CatalogReportSchema>;

/** The parent's signed acknowledgement: the reporter may move its cursor to `to`. */
export const CatalogAckSchema = z.strictObject({
  nodeId: NodeId,
  reporter: NodeId,
  to: Seq,
  upserted: z.number().int(),
  retired: z.number().int(),
  unchanged: z.number().int(),
});
export type CatalogAck = z.infer<typeof CatalogAckSchema>;
