// 异议处理: objections to rows of a resource (docs/governance.md).

import type {
  ObjectionView as BareObjectionView,
  ObjectionStats,
  ObjectionStatus,
  RaiseObjection,
} from '../../../src/governance/objection-schemas.js';
import type { DeadlineClock } from '../../../src/governance/schemas.js';
import { api } from './client.js';

/** An objection with its clock (时限), as the routes show it. */
export type ObjectionView = BareObjectionView & { deadline: DeadlineClock | null };
export type { ObjectionStats, ObjectionStatus };
/** The body of a new objection, as the form sends it (evidence optional). */
export type RaiseObjectionInput = Omit<RaiseObjection, 'evidence'> & { evidence?: string };

const base = '/api/v1/governance/objections';

export const objectionsApi = {
  list: (filter: { role?: 'raised' | 'against'; status?: ObjectionStatus; resource?: string }) => {
    const query = new URLSearchParams({ limit: '200' });
    for (const [k, v] of Object.entries(filter)) if (v) query.set(k, v);
    return api.get<{ items: ObjectionView[]; nextCursor: string | null }>(`${base}?${query}`);
  },
  raise: (body: RaiseObjectionInput) => api.post<ObjectionView>(base, body),
  correct: (id: string, reply: string) => api.post<ObjectionView>(`${base}/${id}/correct`, { reply }),
  explain: (id: string, reply: string) => api.post<ObjectionView>(`${base}/${id}/explain`, { reply }),
  reopen: (id: string, reply: string) => api.post<ObjectionView>(`${base}/${id}/reopen`, { reply }),
  confirm: (id: string, comment = '') => api.post<ObjectionView>(`${base}/${id}/confirm`, { comment }),
  stats: (resource: string) => api.get<ObjectionStats>(`${base}/stats?${new URLSearchParams({ resource })}`),
};
