import type { PGlite } from '@electric-sql/pglite';

/** The subset of `pg.PoolClient` that Kysely's PostgresDialect uses. */
interface BorrowedClient {
  query(
    sql: string,
    parameters: readonly unknown[],
  ): Promise<{ command: string; rowCount: number; rows: unknown[] }>;
  release(): void;
}

/**
 * A pool over PGlite's single connection for Kysely's PostgresDialect. PGlite serves one
 * session, so the pool lends it to one borrower at a time; a transaction therefore keeps
 * everyone else waiting, exactly as a one-connection pg pool would.
 */
export class PGlitePool {
  private busy = false;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly db: PGlite,
    private readonly onBorrow?: (db: PGlite) => Promise<void>,
  ) {}

  /** Waits for the connection and lends it. */
  async connect(): Promise<BorrowedClient> {
    if (this.busy) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.busy = true;
    try {
      await this.onBorrow?.(this.db);
    } catch (error) {
      this.handBack();
      throw error;
    }
    let released = false;
    return {
      query: async (sql, parameters) => {
        const result = await this.db.query(sql, parameters as unknown[]);
        const command = (result as { command?: string }).command ?? 'SELECT';
        const rowCount =
          (result as { rowCount?: number }).rowCount ?? result.affectedRows ?? result.rows.length;
        return { command, rowCount, rows: result.rows };
      },
      release: () => {
        if (released) return;
        released = true;
        this.handBack();
      },
    };
  }

  private handBack(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
  }

  /** Closes the embedded database. */
  async end(): Promise<void> {
    await this.db.close();
  }
}
