// Audit endpoints: entry search, one entry with its inclusion proof, checkpoint, verification.
import { api, type Page } from './client.js';

export interface AuditEntry {
  index: number;
  type: string;
  time: string;
  actor: { kind: string; id: string; orgId: string | null };
  requestId: string | null;
  resources: string[];
  ref: number | null;
  data: Record<string, unknown>;
}

export interface Checkpoint {
  treeSize: number;
  rootHash: string;
  note: string;
  createdAt: string;
}

export interface AuditFilter {
  type?: string;
  actorId?: string;
  orgId?: string;
  resource?: string;
  since?: string;
  until?: string;
  from?: number;
  to?: number;
}

export interface VerifyAnswer {
  ok: boolean;
  report: {
    ok: boolean;
    treeSize: number;
    rootHash: string;
    checkpointsVerified: number;
    problem?: { code: string; index: number; message: string };
  };
}

const v1 = '/api/v1/audit';

export const auditApi = {
  entries: (filter: AuditFilter & { limit?: number; cursor?: string }) =>
    api.get<Page<AuditEntry>>(`${v1}/entries`, { ...filter }),
  entry: (index: number) =>
    api.get<{
      entry: AuditEntry;
      checkpoint: Checkpoint | null;
      proof: { leafHash: string; path: string[] } | null;
    }>(`${v1}/entries/${index}`),
  checkpoint: () => api.get<Checkpoint>(`${v1}/checkpoint`),
  publicKey: () => api.get<{ origin: string; vkey: string }>(`${v1}/public-key`),
  verify: () => api.post<VerifyAnswer>(`${v1}/verify`),
};

/** The CSV of a search (the browser sends the session cookie). */
export function entriesCsvUrl(filter: AuditFilter): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== '') params.set(k, String(v));
  return `${v1}/entries.csv?${params}`;
}
