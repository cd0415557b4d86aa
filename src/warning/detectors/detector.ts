import type { Kysely } from 'kysely';
import type { WorkingCalendar } from '../../governance/index.js';
import type { Database } from '../../store/index.js';
import type { RuleId } from '../schemas.js';
import type { ActiveRule } from '../settings.js';
import type { SeenEntry } from './entries.js';
import type { Lookups } from './lookups.js';

/** What a detector found on one entry: the rule, its subject and the entries behind it. */
export interface Finding {
  rule: RuleId;
  /** `application:<id>`, `user:<id>`, `key:<app>/<key>`, `address:<ip>`, `account:<name>`, `grant:<id>`. */
  subject: string;
  subjectOrgId: string | null;
  /** One line for a person, in Chinese. */
  summary: string;
  /** The triggering entry first, then the ones that made it cross the threshold. */
  entries: number[];
  /** The triggering entry's time: grouping windows run on the log's time, not the clock. */
  time: Date;
  details: Record<string, unknown>;
  /** What an automatic response would suspend: the triggering entry's key and grant (set by the engine). */
  keyId?: string;
  grantId?: string;
}

/** What a detector may consult besides the entry. */
export interface DetectorContext {
  /** The evaluating transaction: a detector's own memory changes commit with the cursor. */
  db: Kysely<Database>;
  rule: ActiveRule;
  calendar: WorkingCalendar;
  lookups: Lookups;
  /**
   * Replaying entries evaluated before (by this process before a restart, or by another
   * process): windows are rebuilt, nothing is found and no memory in the store is written.
   */
  quiet: boolean;
}

/**
 * A rule's detector: sees every entry once, in log order. `observe` is synchronous (tens of
 * thousands of entries a second leave no room for a query, or even an await, per entry): what it
 * needs of the store for a batch is read beforehand, in a few set-based queries, by `prepare`.
 */
export interface Detector {
  rule: RuleId;
  /** The longest look back the detector's windows need, for the replay after a restart. */
  windowMinutes(rule: ActiveRule): number;
  /** Reads what `observe` will need of the store for these entries (the batch, in log order). */
  prepare?(entries: readonly SeenEntry[], ctx: DetectorContext): Promise<void>;
  observe(entry: SeenEntry, ctx: DetectorContext): readonly Finding[];
  /** Writes what the detector kept of the batch to the store, before the cursor moves. */
  flush?(ctx: Pick<DetectorContext, 'db'>): Promise<void>;
}

/** What most entries give most detectors: nothing (one shared empty list, not one per call). */
export const NONE: readonly Finding[] = Object.freeze([]);
