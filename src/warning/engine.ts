import type { Kysely } from 'kysely';
import { type AuditLog, entryText } from '../audit/index.js';
import { loadCalendar, type WorkingCalendar } from '../governance/index.js';
import type { Database } from '../store/index.js';
import {
  createDetectors,
  type Detector,
  type DetectorContext,
  type Finding,
  Lookups,
  type SeenEntry,
  seeEntry,
} from './detectors/index.js';
import { AlertGrouper, type GroupedAlert, type RaisedAlert } from './raise.js';
import { respondToAlert } from './respond.js';
import { loadRuleBook, type RuleBook } from './settings.js';

type Db = Kysely<Database>;

/**
 * Entries per transaction: each batch costs a dozen statements (the cursor, the rules, the
 * calendar, the memories' writes…), which at 1000 entries weighed as much as the entries.
 */
const DEFAULT_BATCH = 5000;
/** Entries parsed and shown to the detectors at a time. */
const FEED = 1000;

/** Options of the evaluator. */
export interface EngineOptions {
  /** Entries evaluated per transaction (default 5000). */
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
    const size = this.options.batchSize ?? DEFAULT_BATCH;
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
        const entries = await readEntries(trx, cursor.position, Number.MAX_SAFE_INTEGER, size);
        const alerts: RaisedAlert[] = [];
        const grouper = new AlertGrouper(trx);
        // The detectors do not read the alerts: the batch's findings are grouped after it is seen.
        for (const finding of await this.feed(entries, batch, false)) {
          const raised = await grouper.raise(finding, book[finding.rule]);
          if (raised) alerts.push(raised);
        }
        for (const detector of this.detectors) await detector.flush?.({ db: trx });
        const grouped = await grouper.flush();
        const position = Math.max(this.fed, cursor.position);
        if (entries.length > 0)
          await trx
            .updateTable('warning_cursor')
            .set({ position, updated_at: new Date() })
            .where('id', '=', 1)
            .execute();
        return { evaluated: entries.length, alerts, grouped, position, skipped: false };
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

  /**
   * Shows the enabled detectors a run of entries (their text, in log order), a thousand at a time:
   * what the detectors need of the store is read first, set-based, then each entry goes through
   * every detector synchronously. A thousand parsed entries at a time, not the batch's thousands,
   * keep what survives the young generation's collections small.
   */
  private async feed(texts: readonly string[], batch: Batch, quiet: boolean): Promise<Finding[]> {
    const found: Finding[] = [];
    for (let i = 0; i < texts.length; i += FEED) {
      const entries = texts.slice(i, i + FEED).map(seeEntry);
      found.push(...(await this.feedEntries(entries, batch, quiet)));
    }
    return found;
  }

  private async feedEntries(entries: readonly SeenEntry[], batch: Batch, quiet: boolean): Promise<Finding[]> {
    if (entries.length === 0) return [];
    const active: [Detector, DetectorContext][] = [];
    for (const detector of this.detectors) {
      const rule = batch.book[detector.rule];
      if (rule.enabled)
        active.push([
          detector,
          { db: batch.db, rule, calendar: batch.calendar, lookups: batch.lookups, quiet },
        ]);
    }
    await batch.lookups.loadStarts(entries);
    for (const [detector, ctx] of active) await detector.prepare?.(entries, ctx);
    const found: Finding[] = [];
    for (const entry of entries) {
      for (const [detector, ctx] of active) {
        const findings = detector.observe(entry, ctx);
        for (const finding of findings) found.push(withTargets(finding, entry));
      }
    }
    this.fed = entries.at(-1)!.index;
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
      const entries = await readEntries(batch.db, after, position, DEFAULT_BATCH);
      if (entries.length === 0) break;
      await this.feed(entries, batch, true);
      after = this.fed;
    }
    this.fed = position;
  }
}

/** The entries after `after` up to `until`, at most `limit`, in log order, as text. */
async function readEntries(db: Db, after: number, until: number, limit: number): Promise<string[]> {
  let select = db.selectFrom('audit_entries').select(entryText.as('entry')).where('idx', '>', after);
  if (until < Number.MAX_SAFE_INTEGER) select = select.where('idx', '<=', until);
  const rows = await select.orderBy('idx').limit(limit).execute();
  return rows.map((row) => row.entry);
}

/** What a response could suspend: the key that made the triggering entry, the one grant it read under. */
function withTargets(finding: Finding, entry: SeenEntry): Finding {
  const grant = finding.details.grantId ?? entry.data.grantId;
  return {
    ...finding,
    keyId: entry.actor.kind === 'application' ? entry.actor.id : undefined,
    grantId: typeof grant === 'string' && grant !== '' && !grant.includes(',') ? grant : undefined,
  };
}
