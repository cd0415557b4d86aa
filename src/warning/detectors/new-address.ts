import type { Detector } from './detector.js';
import { stringField } from './entries.js';

/**
 * A key used from a new address: every address each key is seen from is remembered in the store
 * (warning_addresses, written with the cursor). The addresses of a key's first hours are learnt
 * quietly (a client deployed on two servers); a later unknown one fires. Entries carry the
 * caller's address in `data.ip` (releases and recorded events).
 */
export function newAddress(): Detector {
  // Pairs known to be in the store: an address once stored stays, so the usual call costs no query.
  const known = new Set<string>();
  return {
    rule: 'new_address',
    windowMinutes: () => 0,
    async observe(entry, ctx) {
      const ip = stringField(entry, 'ip');
      if (ctx.quiet || entry.actor.kind !== 'application' || !ip) return [];
      const keyId = entry.actor.id;
      if (known.has(`${keyId} ${ip}`)) return [];
      const time = new Date(entry.time);
      // The insert decides (another process may have stored the pair since this one looked).
      const inserted = await ctx.db
        .insertInto('warning_addresses')
        .values({ key_id: keyId, address: ip, first_index: entry.index, first_seen: time })
        .onConflict((oc) => oc.doNothing())
        .returning('address')
        .executeTakeFirst();
      if (known.size > 100_000) known.clear();
      known.add(`${keyId} ${ip}`);
      if (!inserted) return [];
      const before = await ctx.db
        .selectFrom('warning_addresses')
        .select(['address', 'first_seen'])
        .where('key_id', '=', keyId)
        .where('address', '!=', ip)
        .orderBy('first_seen')
        .execute();
      const learnt = before[0]
        ? before[0].first_seen.getTime() + ctx.rule.settings.learningHours! * 3_600_000
        : Number.POSITIVE_INFINITY;
      if (time.getTime() < learnt) return [];
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
          time,
          details: { address: ip, knownAddresses: before.length },
        },
      ];
    },
  };
}
