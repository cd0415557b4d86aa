import type { AuditLog } from '../audit/index.js';

/** Where one release of a peer's read sits in this node's log, as the pipeline wrote it. */
export interface ObservedRelease {
  start?: number;
  complete?: number;
  rows?: number;
}

/**
 * This node's audit log as the pipeline sees it, noting the start and completion entries of the
 * release made under `requestId`. The receipt names those entries; reading them back from the log
 * (a tag search over the application's newest entries) cost more than the read itself under load
 * and could miss them once enough concurrent reads of one application had completed since.
 */
export function observeRelease(
  audit: AuditLog,
  requestId: string,
): { audit: AuditLog; seen: ObservedRelease } {
  const seen: ObservedRelease = {};
  const observed: AuditLog = Object.assign(Object.create(audit) as AuditLog, {
    beginRelease: async (...args: Parameters<AuditLog['beginRelease']>) => {
      const start = await audit.beginRelease(...args);
      if (start.requestId === requestId && seen.start === undefined) seen.start = start.index;
      return start;
    },
    completeRelease: async (...args: Parameters<AuditLog['completeRelease']>) => {
      const appended = await audit.completeRelease(...args);
      if (args[0].index === seen.start) {
        seen.complete = appended.index;
        seen.rows = args[1].rows;
      }
      return appended;
    },
  });
  return { audit: observed, seen };
}
