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

/** Names of what a page of entries mentions, by id (users, organisations, applications) and code. */
export interface AuditNames {
  users: Record<string, string>;
  organizations: Record<string, string>;
  applications: Record<string, string>;
  resources: Record<string, { name: string; providerId: string }>;
}

/** Releases of one resource to one recipient (GET /audit/releases/summary). */
export interface ReleaseSummaryRow {
  recipient: { kind: string; id: string; name: string | null; orgId: string | null; orgName: string | null };
  provider: { id: string | null; name: string | null };
  resource: { code: string; name: string | null };
  items: string[];
  releases: number;
  completed: number;
  rows: number;
  first: string;
  last: string;
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
  entries: (filter: AuditFilter & { limit?: number; cursor?: string; order?: 'asc' | 'desc' }) =>
    api.get<Page<AuditEntry> & { names: AuditNames }>(`${v1}/entries`, { ...filter }),
  releases: (filter: Pick<AuditFilter, 'orgId' | 'resource' | 'since' | 'until'>) =>
    api.get<{ items: ReleaseSummaryRow[] }>(`${v1}/releases/summary`, { ...filter }),
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
