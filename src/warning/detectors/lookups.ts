import type { Kysely } from 'kysely';
import { type AuditEntryView, getEntry } from '../../audit/index.js';
import type { Database } from '../../store/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Facts the detectors need beyond the log (a grant's expiry, a resource's personal items, a
 * request's organisation, a release's start), read once per evaluation and kept for it.
 */
export class Lookups {
  private readonly grants = new Map<string, Promise<Date | null>>();
  private readonly personal = new Map<string, Promise<Set<string>>>();
  private readonly requests = new Map<string, Promise<string | null>>();
  private readonly starts = new Map<number, AuditEntryView>();

  constructor(private readonly db: Kysely<Database>) {}

  /** When a grant expires; null when it does not, or is unknown. */
  grantExpiry(id: string): Promise<Date | null> {
    // A malformed id would abort the evaluating transaction on a uuid column.
    if (!UUID.test(id)) return Promise.resolve(null);
    let found = this.grants.get(id);
    if (!found) {
      found = this.db
        .selectFrom('grants')
        .select('valid_until')
        .where('id', '=', id)
        .executeTakeFirst()
        .then((r) => r?.valid_until ?? null);
      this.grants.set(id, found);
    }
    return found;
  }

  /** The items of a resource that the catalog marks personal (个人信息). */
  personalItems(code: string): Promise<Set<string>> {
    let found = this.personal.get(code);
    if (!found) {
      found = this.db
        .selectFrom('resources')
        .select('items')
        .where('code', '=', code)
        .executeTakeFirst()
        .then((r) => new Set((r?.items ?? []).filter((i) => i.personal).map((i) => i.name)));
      this.personal.set(code, found);
    }
    return found;
  }

  /** The organisation that filed an access request. */
  requestOrg(id: string): Promise<string | null> {
    if (!UUID.test(id)) return Promise.resolve(null);
    let found = this.requests.get(id);
    if (!found) {
      found = this.db
        .selectFrom('access_requests')
        .select('consumer_org_id')
        .where('id', '=', id)
        .executeTakeFirst()
        .then((r) => r?.consumer_org_id ?? null);
      this.requests.set(id, found);
    }
    return found;
  }

  /** Remembers a release's start, which its completion points back to. */
  rememberStart(entry: AuditEntryView): void {
    this.starts.set(entry.index, entry);
    if (this.starts.size > 10_000) this.starts.delete(this.starts.keys().next().value!);
  }

  /** The start entry a completion points back to (from memory, else from the log). */
  async startOf(index: number): Promise<AuditEntryView | undefined> {
    return this.starts.get(index) ?? (await getEntry(this.db, index));
  }
}
