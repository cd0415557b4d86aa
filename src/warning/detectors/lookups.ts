import type { Kysely } from 'kysely';
import { type AuditEntryView, entryText, presentEntryText } from '../../audit/index.js';
import type { Database } from '../../store/index.js';
import type { SeenEntry } from './entries.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Keys per `IN (…)` list (far below PostgreSQL's 65,535 parameters). */
const CHUNK = 1000;
/** Release starts kept for their completions (a batch's own starts and the ones it reads back). */
const STARTS_KEPT = 20_000;

/** The distinct keys not yet known, in chunks of at most CHUNK. */
function missing<K>(keys: Iterable<K>, known: Map<K, unknown>): K[][] {
  const wanted = [...new Set(keys)].filter((k) => !known.has(k));
  const chunks: K[][] = [];
  for (let i = 0; i < wanted.length; i += CHUNK) chunks.push(wanted.slice(i, i + CHUNK));
  return chunks;
}

/**
 * Facts the detectors need beyond the log (a grant's expiry, a resource's personal items, a
 * request's organisation, a release's start), read once per evaluation and kept for it. The
 * detectors load what a batch needs, set-based, in their `prepare` (`load…`); `observe` then
 * reads it synchronously.
 */
export class Lookups {
  private readonly grants = new Map<string, Date | null>();
  private readonly personal = new Map<string, Set<string>>();
  private readonly requests = new Map<string, string | null>();
  private readonly starts = new Map<number, AuditEntryView>();

  constructor(private readonly db: Kysely<Database>) {}

  /** Reads the expiries of these grants (ids that are not uuids are unknown: null). */
  async loadGrants(ids: Iterable<string>): Promise<void> {
    const valid = [...ids].filter((id) => {
      // A malformed id would abort the evaluating transaction on a uuid column.
      if (!UUID.test(id)) this.grants.set(id, null);
      return UUID.test(id);
    });
    for (const chunk of missing(valid, this.grants)) {
      const rows = await this.db
        .selectFrom('grants')
        .select(['id', 'valid_until'])
        .where('id', 'in', chunk)
        .execute();
      for (const id of chunk) this.grants.set(id, null);
      for (const r of rows) this.grants.set(r.id, r.valid_until ?? null);
    }
  }

  /** When a grant expires; null when it does not, or is unknown (loaded by `loadGrants`). */
  grantExpiry(id: string): Date | null {
    return this.grants.get(id) ?? null;
  }

  /** Reads which items of these resources the catalog marks personal. */
  async loadPersonalItems(codes: Iterable<string>): Promise<void> {
    for (const chunk of missing(codes, this.personal)) {
      const rows = await this.db
        .selectFrom('resources')
        .select(['code', 'items'])
        .where('code', 'in', chunk)
        .execute();
      for (const code of chunk) this.personal.set(code, new Set());
      for (const r of rows)
        this.personal.set(r.code, new Set((r.items ?? []).filter((i) => i.personal).map((i) => i.name)));
    }
  }

  /** The items of a resource that the catalog marks personal (个人信息), loaded by `loadPersonalItems`. */
  personalItems(code: string): Set<string> {
    return this.personal.get(code) ?? new Set();
  }

  /** Reads the organisations that filed these access requests. */
  async loadRequests(ids: Iterable<string>): Promise<void> {
    const valid = [...ids].filter((id) => {
      if (!UUID.test(id)) this.requests.set(id, null);
      return UUID.test(id);
    });
    for (const chunk of missing(valid, this.requests)) {
      const rows = await this.db
        .selectFrom('access_requests')
        .select(['id', 'consumer_org_id'])
        .where('id', 'in', chunk)
        .execute();
      for (const id of chunk) this.requests.set(id, null);
      for (const r of rows) this.requests.set(r.id, r.consumer_org_id ?? null);
    }
  }

  /** The organisation that filed an access request (loaded by `loadRequests`). */
  requestOrg(id: string): string | null {
    return this.requests.get(id) ?? null;
  }

  /**
   * Keeps the batch's release starts and reads back, in one query, the starts its completions
   * point to that are older than what is kept.
   */
  async loadStarts(entries: readonly SeenEntry[]): Promise<void> {
    for (const entry of entries) if (entry.type === 'data.release.start') this.remember(entry);
    const refs = entries
      .filter((e) => e.type === 'data.release.complete' && e.ref !== null)
      .map((e) => e.ref as number);
    for (const chunk of missing(refs, this.starts)) {
      const rows = await this.db
        .selectFrom('audit_entries')
        .select(entryText.as('entry'))
        .where('idx', 'in', chunk)
        .execute();
      for (const r of rows) this.remember(presentEntryText(r.entry));
    }
  }

  private remember(entry: AuditEntryView): void {
    this.starts.set(entry.index, entry);
    if (this.starts.size > STARTS_KEPT) this.starts.delete(this.starts.keys().next().value!);
  }

  /** The start entry a completion points back to (loaded by `loadStarts`). */
  startOf(index: number): AuditEntryView | undefined {
    return this.starts.get(index);
  }
}
