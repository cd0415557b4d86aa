import { sql } from 'kysely';
import { type Detector, NONE } from './detector.js';
import { type SeenEntry, stringField } from './entries.js';

/** Keys per read: far below PostgreSQL's 65,535 parameters. */
const CHUNK = 1000;
/** Pairs kept in memory before it is dropped (and read again as keys come back). */
const KEPT = 100_000;

interface Address {
  address: string;
  firstSeen: number;
}

/** The key and address of an application's call that names its address. */
const keyAddress = (entry: SeenEntry) => {
  const ip = stringField(entry, 'ip');
  return entry.actor.kind === 'application' && ip ? { keyId: entry.actor.id, ip } : undefined;
};

/**
 * A key used from a new address: every address each key is seen from is remembered in the store
 * (warning_addresses, written with the cursor). The addresses of a key's first hours are learnt
 * quietly (a client deployed on two servers); a later unknown one fires. Entries carry the
 * caller's address in `data.ip` (releases and recorded events). A key's addresses are read once,
 * for all the keys a batch meets in one query, then kept in memory; the batch's new ones are
 * inserted in one statement before the cursor moves (only the process holding the cursor writes them).
 */
export function newAddress(): Detector {
  /** Each key's addresses in the order first seen, as the store has them plus this batch's. */
  let keys = new Map<string, Address[]>();
  let pairs = 0;
  let pending: { key_id: string; address: string; first_index: number; first_seen: Date }[] = [];
  return {
    rule: 'new_address',
    windowMinutes: () => 0,
    async prepare(entries, ctx) {
      if (ctx.quiet) return;
      if (pairs > KEPT) {
        keys = new Map();
        pairs = 0;
      }
      const wanted = new Set<string>();
      for (const entry of entries) {
        const call = keyAddress(entry);
        if (call && !keys.has(call.keyId)) wanted.add(call.keyId);
      }
      const ids = [...wanted];
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        for (const id of chunk) keys.set(id, []);
        const rows = await ctx.db
          .selectFrom('warning_addresses')
          .select(['key_id', 'address', 'first_seen'])
          .where('key_id', 'in', chunk)
          .orderBy('first_seen')
          .execute();
        for (const r of rows)
          keys.get(r.key_id)!.push({ address: r.address, firstSeen: r.first_seen.getTime() });
        pairs += rows.length;
      }
    },
    observe(entry, ctx) {
      const call = ctx.quiet ? undefined : keyAddress(entry);
      if (!call) return NONE;
      const { keyId, ip } = call;
      const known = keys.get(keyId)!;
      if (known.some((k) => k.address === ip)) return NONE;
      const before = known.slice();
      // In first-seen order, as the store would list them.
      let at = known.length;
      while (at > 0 && known[at - 1]!.firstSeen > entry.ms) at--;
      known.splice(at, 0, { address: ip, firstSeen: entry.ms });
      pairs++;
      pending.push({ key_id: keyId, address: ip, first_index: entry.index, first_seen: entry.at });
      const learnt = before[0]
        ? before[0].firstSeen + ctx.rule.settings.learningHours! * 3_600_000
        : Number.POSITIVE_INFINITY;
      if (entry.ms < learnt) return NONE;
      return [
        {
          rule: 'new_address',
          subject: `key:${keyId}`,
          subjectOrgId: entry.actor.orgId,
          summary: `密钥 ${keyId} 首次从 ${ip} 调用（此前地址：${before
            .slice(0, 5)
            .map((k) => k.address)
            .join('、')}）`,
          entries: [entry.index],
          time: entry.at,
          details: { address: ip, knownAddresses: before.length },
        },
      ];
    },
    async flush(ctx) {
      const rows = pending;
      pending = [];
      if (rows.length > 0)
        await sql`INSERT INTO warning_addresses (key_id, address, first_index, first_seen)
          SELECT * FROM unnest(
            ${rows.map((r) => r.key_id)}::text[],
            ${rows.map((r) => r.address)}::text[],
            ${rows.map((r) => r.first_index)}::int8[],
            ${rows.map((r) => r.first_seen.toISOString())}::timestamptz[])
          ON CONFLICT DO NOTHING`.execute(ctx.db);
    },
  };
}
