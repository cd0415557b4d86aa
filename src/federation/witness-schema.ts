import { z } from 'zod';

const note = z.string().min(1).max(4000);

/** What a witness saw when a peer's log forked or rolled back (两个历史 / 回滚). */
export const WitnessAlertSchema = z
  .object({
    id: z.string().regex(/^[0-9a-f]{32}$/),
    subjectNodeId: z.string().min(1).max(63),
    kind: z.enum(['fork', 'rollback']),
    detectedBy: z.string().min(1).max(63),
    /** The histories agree on the first `agreedSize` entries: entry `agreedSize` is the first that may differ. */
    agreedSize: z.number().int().min(0),
    /** …and they differ within the first `divergedBy` entries (exact when it is agreedSize + 1). */
    divergedBy: z.number().int().min(1),
    /** Both checkpoints, each signed by the log: the last one the witness trusted and the one offered. */
    evidence: z.object({ seen: note, offered: note }).strict(),
    detectedAt: z.iso.datetime(),
  })
  .strict();
export type WitnessAlert = z.infer<typeof WitnessAlertSchema>;

/** A witness's report to the root: its latest cosignature of each peer's log, and its alerts. */
export const WitnessReportSchema = z
  .object({
    cosigned: z
      .array(
        z
          .object({
            logNodeId: z.string().min(1).max(63),
            note,
            cosignature: z.string().min(1).max(400),
          })
          .strict(),
      )
      .max(1000),
    alerts: z.array(WitnessAlertSchema).max(100),
  })
  .strict();
export type WitnessReport = z.infer<typeof WitnessReportSchema>;

/** The root's answer: how many cosignatures it took, and every alert of the federation it holds. */
export const WitnessReportAnswerSchema = z
  .object({
    accepted: z.number().int().min(0),
    rejected: z.number().int().min(0),
    alerts: z.array(WitnessAlertSchema),
  })
  .strict();
export type WitnessReportAnswer = z.infer<typeof WitnessReportAnswerSchema>;

/** A log's latest checkpoint as the root publishes it, with its witnesses. */
export const CosignedCheckpointSchema = z.object({
  nodeId: z.string(),
  treeSize: z.number().int(),
  rootHash: z.string(),
  witnesses: z.array(z.string()),
  lastCosignedAt: z.iso.datetime(),
  note: z.string().describe('the log’s signed note with one cosignature line per witness (C2SP)'),
});
export type CosignedCheckpoint = z.infer<typeof CosignedCheckpointSchema>;
