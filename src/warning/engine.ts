import type { Kysely } from 'kysely';
import { type AuditEntryView, type AuditLog, entryText, presentEntryText } from '../audit/index.js';
import { loadCalendar, type WorkingCalendar } from '../governance/index.js';
import type { Database } from '../store/index.js';
import { createDetectors, type Detector, type Finding, Lookups } from './detectors/index.js';
import { AlertGrouper, type GroupedAlert, type RaisedAlert } from './raise.js';
import { respondToAlert } from './respond.js';
import { loadRuleBook, type RuleBook } from './settings.js';

type Db = Kysely<Database>;

/** Options of the evaluator. */
export interface EngineOptions {
  /** Entries evaluated per transaction (default 1000). */
  batchSize?: number;
  /** Called for each new alert once its evaluation committed (the webhook). */
  onAlert?: (alert: RaisedAlert) => Promise<void> | void;
  /** Called for each alert a batch grew (new findings grouped into it) once the batch committed. */
  onGrouped?: (alert: GroupedAlert) => Promise<void> | void;
  /** Where automatic responses are logged; without it, rules' responses are not taken. */
  audit?: Pick<AuditLog, 'append'>;
}

/** What one evaluation did; `skipped` when another process held the cursor. */
export interface EvaluationResult {
  evaluated: number;
  alerts: RaisedAlert[];
  /** The alerts that new findings joined (each once per batch). */
  grouped: GroupedAlert[];
  position: number;
  skipped: boolean;
}

interface Batch {
  book: RuleBook;
  calendar: WorkingCalendar;
  lookups: Lookups;
  db: Db;
}

/**
 * The detectors over the audit log, incrementally in the log's own order. The cursor row is
 * locked (FOR UPDATE SKIP LOCKED) for each batch, so one process evaluates at a time and the
 * others skip; the alerts, the detectors' memories in the store and the cursor commit together,
 * so a batch is evaluated once even across a crash. The windows live in memory: after a restart,
 * or when another process evaluated meanwhile, they are rebuilt by replaying the entries of the
 * longest window before the cursor, quietly.
 */
export class WarningEngine {
  private detectors: Detector[] = createDetectors();
  /** The last entry the windows have seen. */
  private fed = -1;
  private running: Promise<EvaluationResult> | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: EngineOptions = {},
  ) {}

  /** Evaluates every entry appended since the cursor; returns the alerts it opened. */
  evaluate(): Promise<EvaluationResult> {
    this.running ??= this.evaluateAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async evaluateAll(): Promise<EvaluationResult> {
    const size = this.options.batchSize ?? 1000;
    const result: EvaluationResult = { evaluated: 0, alerts: [], grouped: [], position: -1, skipped: false };
    for (;;) {
      const batch = await this.evaluateBatch(size);
      if (batch.skipped) return { ...result, skipped: true };
      result.evaluated += batch.evaluated;
      result.position = batch.position;
      result.alerts.push(...batch.alerts);
      result.grouped.push(...batch.grouped);
      for (const alert of batch.alerts) {
        // After the commit: a suspension is never taken for an alert that was rolled back.
        if (alert.response && this.options.audit) await respondToAlert(this.db, this.options.audit, alert);
        await this.options.onAlert?.(alert);
      }
      for (const alert of batch.grouped) await this.options.onGrouped?.(alert);
      if (batch.evaluated < size) return result;
    }
  }

  private async evaluateBatch(size: number): Promise<EvaluationResult> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const cursor = await trx
          .selectFrom('warning_cursor')
          .select('position')
          .where('id', '=', 1)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!cursor) return { evaluated: 0, alerts: [], grouped: [], position: -1, skipped: true };
        const [book, calendar] = await Promise.all([loadRuleBook(trx), loadCalendar(trx)]);
        const batch: Batch = { book, calendar, lookups: new Lookups(trx), db: trx };
        await this.catchUp(batch, cursor.position);
        const rows = await trx
          .selectFrom('audit_entries')
          .select(entryText.as('entry'))
          .where('idx', '>', cursor.position)
          .orderBy('idx')
          .limit(size)
          .execute();
        const alerts: RaisedAlert[] = [];
        const grouper = new AlertGrouper(trx);
        for (const row of rows) {
          for (const finding of await this.feed(presentEntryText(row.entry), batch, false)) {
            const raised = await grouper.raise(finding, book[finding.rule]);
            if (raised) alerts.push(raised);
          }
        }
        for (const detector of this.detectors) await detector.flush?.({ db: trx });
        const grouped = await grouper.flush();
        const position = Math.max(this.fed, cursor.position);
        if (rows.length > 0)
          await trx
            .updateTable('warning_cursor')
            .set({ position, updated_at: new Date() })
            .where('id', '=', 1)
            .execute();
        return { evaluated: rows.length, alerts, grouped, position, skipped: false };
      });
    } catch (error) {
      // The windows ran ahead of a cursor that did not move: rebuild them next time.
      this.reset();
      throw error;
    }
  }

  /** Forgets the windows (they are rebuilt from the log on the next evaluation). */
  reset(): void {
    this.detectors = createDetectors();
    this.fed = -1;
  }

  private async feed(entry: AuditEntryView, batch: Batch, quiet: boolean): Promise<Finding[]> {
    const found: Finding[] = [];
    for (const detector of this.detectors) {
      const rule = batch.book[detector.rule];
      if (!rule.enabled) continue;
      const ctx = { db: batch.db, rule, calendar: batch.calendar, lookups: batch.lookups, quiet };
      for (const finding of await detector.observe(entry, ctx)) found.push(withTargets(finding, entry));
    }
    this.fed = entry.index;
    return found;
  }

  /** Brings the windows up to the cursor by replaying, quietly, what they have not seen of the look-back. */
  private async catchUp(batch: Batch, position: number): Promise<void> {
    if (this.fed === position || position < 0) return;
    // Another process moved the cursor (or this one starts): the memories of the detectors (the
    // hourly volumes…) may be behind the store, so they are dropped and read again.
    this.reset();
    const lookback = Math.max(
      0,
      ...this.detectors.map((d) => (batch.book[d.rule].enabled ? d.windowMinutes(batch.book[d.rule]) : 0)),
    );
    const last = await batch.db
      .selectFrom('audit_entries')
      .select('time')
      .where('idx', '=', position)
      .executeTakeFirst();
    if (!last || lookback === 0) {
      this.fed = position;
      return;
    }
    const since = new Date(last.time.getTime() - lookback * 60_000);
    const first = await batch.db
      .selectFrom('audit_entries')
      .select((eb) => eb.fn.min('idx').as('idx'))
      .where('time', '>=', since)
      .where('idx', '<=', position)
      .executeTakeFirst();
    let after = Number(first?.idx ?? position + 1) - 1;
    while (after < position) {
      const rows = await batch.db
        .selectFrom('audit_entries')
        .select(['idx', entryText.as('entry')])
        .where('idx', '>', after)
        .where('idx', '<=', position)
        .orderBy('idx')
        .limit(1000)
        .execute();
      if (rows.length === 0) break;
      for (const row of rows) await this.feed(presentEntryText(row.entry), batch, true);
      after = Number(rows.at(-1)!.idx);
    }
    this.fed = position;
  }
}

/** What a response could suspend: the key that made the triggering entry, the one grant it read under. */
function withTargets(finding: Finding, entry: AuditEntryView): Finding {
  const grant = finding.details.grantId ?? entry.data.grantId;
  return {
    ...finding,
    keyId: entry.actor.kind === 'application' ? entry.actor.id : undefined,
    grantId: typeof grant === 'string' && grant !== '' && !grant.includes(',') ? grant : undefined,
  };
}
