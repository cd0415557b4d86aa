import { createHmac } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { ForbiddenError, TooManyRequestsError } from '../errors/index.js';
import type { Actor } from '../identity/index.js';
import type { Database } from '../store/index.js';
import type { Access } from './access.js';
import { secondsToNextDay, shanghaiDay } from './shanghai-day.js';

type Db = Kysely<Database>;

/** The platform's verification limits (settings), per consumer and resource. */
export interface VerificationLimits {
  perMinute: number;
  /** Per day, for grants without a daily call quota; a grant's quota replaces it. */
  perDay: number;
}

/**
 * Whose claims count together: an organisation's, whatever key or person asks (minting more keys
 * buys no more guesses); an anonymous caller's address.
 */
export function verificationConsumer(actor: Actor, ip: string): string {
  return actor.kind === 'anonymous' ? `ip:${ip}` : `org:${actor.orgId}`;
}

/**
 * Counts one claim against the consumer's limits on a resource, in the store so that every process
 * shares them: at most `perMinute` in a window of 60 s opened by the first claim, and a daily cap
 * (Asia/Shanghai) — the grant's daily call quota when it has one, else `perDay`. One statement,
 * atomic on PGlite and PostgreSQL. Refused: 429 `verification_rate_limited` or
 * `verification_daily_limit`, with Retry-After.
 */
export async function countVerification(
  db: Db,
  target: { consumer: string; resourceId: string; access: Access },
  limits: VerificationLimits,
  now = new Date(),
): Promise<void> {
  const perDay = target.access.quota?.callsPerDay ?? limits.perDay;
  const day = shanghaiDay(now);
  const cut = new Date(now.getTime() - 60_000);
  const counted = await sql<{ window_count: number }>`
    insert into verification_limits as v (consumer, resource_id, window_start, window_count, day, day_count)
    values (${target.consumer}, ${target.resourceId}, ${now}, 1, ${day}, 1)
    on conflict (consumer, resource_id) do update set
      window_start = case when v.window_start <= ${cut} then excluded.window_start else v.window_start end,
      window_count = case when v.window_start <= ${cut} then 1 else v.window_count + 1 end,
      day = excluded.day,
      day_count = case when v.day = excluded.day then v.day_count + 1 else 1 end
    where (v.window_start <= ${cut} or v.window_count < ${limits.perMinute})
      and (v.day <> excluded.day or v.day_count < ${perDay})
    returning window_count`.execute(db);
  if (counted.rows.length > 0) return;
  const row = await db
    .selectFrom('verification_limits')
    .select(['window_start', 'day', 'day_count'])
    .where('consumer', '=', target.consumer)
    .where('resource_id', '=', target.resourceId)
    .executeTakeFirstOrThrow();
  if (row.day === day && row.day_count >= perDay) {
    throw new TooManyRequestsError(
      `At most ${perDay} verifications a day on this resource; the count resets at midnight, Beijing time`,
      secondsToNextDay(now),
      'verification_daily_limit',
    );
  }
  const retry = Math.ceil((new Date(row.window_start).getTime() + 60_000 - now.getTime()) / 1000);
  throw new TooManyRequestsError(
    `At most ${limits.perMinute} verifications a minute on this resource`,
    Math.max(1, retry),
    'verification_rate_limited',
  );
}

/**
 * Refuses an answer per item when the claim names an item the consumer sees masked (403
 * `per_item_not_allowed`): told which item of a claim is wrong, a caller could guess a masked
 * value item by item instead of all at once. The whole-claim answer stays: checking a claim,
 * record key included, is what 核验 is for, and the limits bound how many guesses it allows.
 */
export function checkPerItem(access: Access, items: readonly string[]): void {
  const masked = access.items.filter((i) => items.includes(i.name) && i.mask.kind !== 'none');
  if (masked.length === 0) return;
  throw new ForbiddenError(
    `Per-item answers are not given on items you see masked: ${masked.map((i) => i.name).join(', ')}`,
    'per_item_not_allowed',
  );
}

/**
 * A keyed digest (HMAC-SHA-256) of each claimed value, for the audit entry: the log can show that
 * the same value was claimed again, or that many were tried against one record, without holding
 * the claim itself. The key is derived from the platform secret, so the log's readers cannot
 * test guesses against it.
 */
export function claimDigests(secret: Buffer, values: Record<string, unknown>): Record<string, string> {
  const key = createHmac('sha256', secret).update('verification claim digest v1').digest();
  return Object.fromEntries(
    Object.entries(values).map(([item, value]) => [
      item,
      createHmac('sha256', key)
        .update(`${item}\u0000${String(value)}`)
        .digest('hex'),
    ]),
  );
}
