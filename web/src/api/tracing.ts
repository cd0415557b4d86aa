// Leak tracing (数据溯源, docs/tracing.md): the security officer's trace of a leaked file.

import type { Suspect, TraceReport } from '../../../src/tracing/report-schema.js';
import { api, downloadPost } from './client.js';

export type { Suspect, TraceReport };

export const tracingApi = {
  /** Sends the leaked file as the body; answers the ranked suspects (or empty_file / trace_no_match). */
  trace: (file: Blob) => api.postFile<TraceReport>('/api/v1/tracing/trace', file),
  /** Traces the file again and downloads the evidence report (HTML or PDF, with inclusion proofs). */
  evidence: (file: Blob, format: 'html' | 'pdf') =>
    downloadPost(`/api/v1/tracing/evidence?format=${format}`, file, `trace-evidence.${format}`),
};
