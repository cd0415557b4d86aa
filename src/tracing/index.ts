// Leak tracing (数据溯源, issue 18): per-recipient marks in every delivery of a resource whose
// steward declared tolerant columns, and the trace of a leaked file back to its recipients.
// The embedding is pure and runs in query/'s deliver stage; the trace reads the audit log.
// docs/tracing.md explains the code, the marks and the error bounds.

export { type EvidenceFacts, evidenceHtml } from './evidence.js';
export { evidencePdf } from './evidence-pdf.js';
export { type EvidenceProofs, evidenceProofs } from './evidence-proofs.js';
export { type LeakTable, MAX_LEAK_BYTES, readBounded, readLeak } from './leak-file.js';
export { CellLocator, type MarkPlan, markPlan, markRow } from './mark.js';
export { recipientOf, recipientOfEntry, traceSecretFrom } from './recipient.js';
export { type Suspect, SuspectSchema, type TraceReport, TraceReportSchema } from './report-schema.js';
export * from './schemas.js';
export { type Accusation, accuse, leakedBits, type Observation } from './score.js';
export {
  checkTracingSettings,
  loadTracingSettings,
  saveTracingSettings,
  tracingSettingsOf,
} from './settings.js';
export { accusationThreshold, CODE_LENGTH, innocentTail, TardosCode } from './tardos.js';
export { FALSE_ACCUSATION, traceLeak } from './trace.js';
export { embedBit, readBit, type Tolerance } from './values.js';
