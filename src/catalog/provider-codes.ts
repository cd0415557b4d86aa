import { type Kysely, sql } from 'kysely';
import type { OrganizationView } from '../identity/index.js';
import type { Database } from '../store/index.js';

type Db = Kysely<Database>;

/**
 * The provider code (提供方代码) of an organisation: its unified social credit code when it has
 * one, otherwise its region code and a three-digit number, assigned on its first resource and
 * kept for ever so that codes already issued stay meaningful.
 */
export async function providerCode(db: Db, org: OrganizationView): Promise<string> {
  const existing = await db
    .selectFrom('catalog_providers')
    .select('provider_code')
    .where('org_id', '=', org.id)
    .executeTakeFirst();
  if (existing) return existing.provider_code;
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = org.creditCode ?? (await nextRegionalCode(db, org.regionCode, attempt));
    const inserted = await db
      .insertInto('catalog_providers')
      .values({ org_id: org.id, provider_code: candidate })
      .onConflict((oc) => oc.doNothing())
      .returning('provider_code')
      .executeTakeFirst();
    if (inserted) return inserted.provider_code;
    const mine = await db
      .selectFrom('catalog_providers')
      .select('provider_code')
      .where('org_id', '=', org.id)
      .executeTakeFirst();
    if (mine) return mine.provider_code;
  }
  throw new Error(`could not assign a provider code to ${org.id}`);
}

async function nextRegionalCode(db: Db, region: string, attempt: number): Promise<string> {
  const { count } = await db
    .selectFrom('catalog_providers')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('provider_code', 'like', `${region}%`)
    .where(sql<boolean>`length(provider_code) = 9`)
    .executeTakeFirstOrThrow();
  return `${region}${String(Number(count) + 1 + attempt).padStart(3, '0')}`;
}

/** The next sequence number under a code prefix (classification + provider code). */
export async function nextSequence(db: Db, prefix: string): Promise<number> {
  const row = await db
    .insertInto('catalog_sequences')
    .values({ prefix, last: 1 })
    .onConflict((oc) => oc.column('prefix').doUpdateSet({ last: sql`catalog_sequences.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}

/** A resource code: `<classification>-<provider code>-<five-digit sequence>`. */
export function resourceCode(classification: string, provider: string, sequence: number): string {
  return `${classification}-${provider}-${String(sequence).padStart(5, '0')}`;
}
