import { isIPv4, isIPv6 } from 'node:net';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../store/index.js';
import { hashToken } from './tokens.js';

type Db = Kysely<Database>;

/** When a counter starts to slow attempts down, and when it locks them out. */
export interface LoginLimits {
  /** Failures after which each further attempt waits 1, 2, 4… seconds (capped at the lock). */
  backoffAfter: number;
  /** Failures after which attempts are refused for `lockSeconds`. */
  lockAfter: number;
  lockSeconds: number;
}

/** The lockout settings: one counter per account, one per client address across accounts. */
export interface LoginThrottleSettings {
  account: LoginLimits;
  address: LoginLimits;
  /** A counter without a failure for this long starts again from zero. */
  forgetSeconds: number;
}

/** The two counters an attempt is charged to. */
export interface ThrottleKeys {
  account: string;
  address: string;
}

/** Why an attempt was not even checked: which counter blocks it, and until when. */
export interface ThrottleBlock {
  scope: 'account' | 'address';
  until: Date;
}

/**
 * The address a counter keys on: IPv4 as is (an IPv4-mapped IPv6 address as its IPv4), IPv6 by
 * its /64, the smallest block a single subscriber is usually given, so that rotating through
 * one's own addresses does not reset the count.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (!isIPv6(ip)) return ip;
  const hextets = expandIPv6(ip);
  return `${hextets.slice(0, 4).join(':')}::/64`;
}

// Eight hextets of an IPv6 address (zone dropped, `::` and a dotted IPv4 tail expanded).
function expandIPv6(ip: string): string[] {
  let text = ip.split('%')[0]!.toLowerCase();
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text)?.[1];
  if (dotted) {
    const [a, b, c, d] = dotted.split('.').map(Number) as [number, number, number, number];
    const tail = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    text = text.slice(0, -dotted.length) + tail;
  }
  const [head = '', rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const middle = rest === undefined ? [] : new Array(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((h) => Number.parseInt(h, 16).toString(16));
}

/** The counter of attempts at `username` (hashed: it may be a password typed in the wrong field). */
export function accountThrottleKey(username: string): string {
  return `account:${hashToken(username)}`;
}

/** The counters of an attempt at `username` from `ip`. */
export function loginThrottleKeys(username: string, ip: string): ThrottleKeys {
  return { account: accountThrottleKey(username), address: `address:${addressKey(ip)}` };
}

// When a counter at `failures` (last failed at `at`) next admits an attempt, in SQL so that the
// count and the block change in the same statement.
function blockedUntil(failures: RawBuilder<number>, at: Date, limits: LoginLimits): RawBuilder<Date | null> {
  const lock = limits.lockSeconds;
  return sql<Date | null>`CASE
    WHEN ${failures} >= ${limits.lockAfter}::int
      THEN ${at}::timestamptz + make_interval(secs => ${lock}::float8)
    WHEN ${failures} >= ${limits.backoffAfter}::int
      THEN ${at}::timestamptz + make_interval(secs => LEAST(${lock}::float8,
        power(2, LEAST(${failures} - ${limits.backoffAfter}::int, 30))))
    ELSE NULL END`;
}

/**
 * Charges an attempt to one counter before its password is checked, unless the counter blocks
 * it: one INSERT … ON CONFLICT DO UPDATE … WHERE, so that concurrent attempts (from any process
 * over the same store) cannot all pass before the first failure is written. Returns the block,
 * or undefined when the attempt was admitted (and counted as a failure until it succeeds).
 */
async function charge(
  db: Db,
  key: string,
  limits: LoginLimits,
  forgetSeconds: number,
  now: Date,
): Promise<Date | undefined> {
  const forgetBefore = new Date(now.getTime() - forgetSeconds * 1000);
  const next = sql<number>`(CASE WHEN login_throttle.last_failed_at < ${forgetBefore}::timestamptz
    THEN 1 ELSE login_throttle.failures + 1 END)`;
  const admitted = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, last_failed_at: now, blocked_until: blockedUntil(sql`1`, now, limits) })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ failures: next, last_failed_at: now, blocked_until: blockedUntil(next, now, limits) })
        .where(
          sql<boolean>`login_throttle.blocked_until IS NULL OR login_throttle.blocked_until <= ${now}::timestamptz`,
        ),
    )
    .returning('failures')
    .executeTakeFirst();
  if (admitted) return undefined;
  const row = await db
    .selectFrom('login_throttle')
    .select('blocked_until')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.blocked_until ? new Date(row.blocked_until) : now;
}

/**
 * Admits a login attempt or says what blocks it. The address is charged first: an attempt it
 * blocks is not charged to the account, so that someone hammering from one address does not
 * also lock out the account's owner elsewhere for longer than the account's own limit.
 */
export async function admitLoginAttempt(
  db: Db,
  keys: ThrottleKeys,
  settings: LoginThrottleSettings,
  now = new Date(),
): Promise<ThrottleBlock | undefined> {
  const address = await charge(db, keys.address, settings.address, settings.forgetSeconds, now);
  if (address) return { scope: 'address', until: address };
  const account = await charge(db, keys.account, settings.account, settings.forgetSeconds, now);
  if (account) return { scope: 'account', until: account };
  return undefined;
}

/**
 * After a successful login: the account's counter is cleared; the address's gives back the one
 * attempt charged in advance (a success must not wipe it, or an attacker would log in to an
 * account of its own between guesses). Stale counters are dropped on the way.
 */
export async function settleLoginSuccess(
  db: Db,
  keys: ThrottleKeys,
  settings: LoginThrottleSettings,
  now = new Date(),
): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', keys.account).execute();
  const left = sql<number>`GREATEST(login_throttle.failures - 1, 0)`;
  await db
    .updateTable('login_throttle')
    .set({
      failures: left,
      blocked_until: blockedUntil(left, now, settings.address),
    })
    .where('key', '=', keys.address)
    .execute();
  const forgetBefore = new Date(now.getTime() - settings.forgetSeconds * 1000);
  await db
    .deleteFrom('login_throttle')
    .where('last_failed_at', '<', forgetBefore)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now)]))
    .execute();
}
