import type { Kysely } from 'kysely';
import pg from 'pg';
import { vi } from 'vitest';
import type { Database } from '../../src/store/index.js';

/**
 * Records, in order, the SQL text every PostgreSQL client of this process sends that contains
 * `marker` (a test's schema): what a source was really sent, read at the driver. A COPY's text
 * is read from its stream object. Undone by `vi.restoreAllMocks()`.
 */
export function recordPostgresStatements(marker: string): { take(): string[] } {
  let sent: string[] = [];
  const original = pg.Client.prototype.query;
  vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === 'string' ? first : first?.text;
    if (text?.includes(marker)) sent.push(text);
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original);
  return {
    /** The statements recorded since the last take. */
    take: () => {
      const taken = sent;
      sent = [];
      return taken;
    },
  };
}

/** The rows charged to every grant of the store so far (grant_usage). */
export async function rowsCharged(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('grant_usage')
    .select((eb) => eb.fn.sum<string>('row_count').as('rows'))
    .executeTakeFirst();
  return Number(row?.rows ?? 0);
}
