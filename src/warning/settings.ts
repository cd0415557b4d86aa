import type { Kysely } from 'kysely';
import { BadRequestError, NotFoundError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { RULES } from './rules.js';
import {
  type ResponseKind,
  RULE_IDS,
  type RuleId,
  RuleIdSchema,
  type RuleSettingsInput,
  type RuleView,
  type Severity,
} from './schemas.js';

type Db = Kysely<Database>;

/** A rule as the detectors apply it. */
export interface ActiveRule {
  enabled: boolean;
  severity: Severity;
  settings: Record<string, number>;
  response: ResponseKind;
}

/** Every rule's settings in force: the stored ones over the defaults. */
export type RuleBook = Record<RuleId, ActiveRule>;

function defaults(rule: RuleId): Record<string, number> {
  return Object.fromEntries(Object.entries(RULES[rule].limits).map(([k, l]) => [k, l.default]));
}

/** Loads the rules in force. */
export async function loadRuleBook(db: Db): Promise<RuleBook> {
  const rows = await db.selectFrom('warning_rules').selectAll().execute();
  const stored = new Map(rows.map((r) => [r.rule, r]));
  const book = {} as RuleBook;
  for (const rule of RULE_IDS) {
    const row = stored.get(rule);
    book[rule] = {
      enabled: row?.enabled ?? true,
      severity: (row?.severity as Severity | undefined) ?? RULES[rule].severity,
      // A setting added since the row was written takes its default.
      settings: { ...defaults(rule), ...(row?.settings ?? {}) },
      response: (row?.response as ResponseKind | undefined) ?? 'none',
    };
  }
  return book;
}

async function present(db: Db, rule: RuleId): Promise<RuleView> {
  const [book, row] = await Promise.all([
    loadRuleBook(db),
    db.selectFrom('warning_rules').selectAll().where('rule', '=', rule).executeTakeFirst(),
  ]);
  return presentRule(rule, book[rule], row);
}

/** The view of one rule. */
export function presentRule(
  rule: RuleId,
  active: ActiveRule,
  row?: { updated_by: string | null; updated_at: Date },
): RuleView {
  const { title, description, limits, responses } = RULES[rule];
  return {
    rule,
    title,
    description,
    enabled: active.enabled,
    severity: active.severity,
    settings: active.settings,
    response: active.response,
    responses,
    limits,
    updatedBy: row?.updated_by ?? null,
    updatedAt: row?.updated_at.toISOString() ?? null,
  };
}

/** Every rule with its settings (the security officer, the auditor). */
export async function listRules(db: Db, actor: Actor): Promise<RuleView[]> {
  authorize(actor, 'warning.read');
  const [book, rows] = await Promise.all([
    loadRuleBook(db),
    db.selectFrom('warning_rules').selectAll().execute(),
  ]);
  const stored = new Map(rows.map((r) => [r.rule, r]));
  return RULE_IDS.map((rule) => presentRule(rule, book[rule], stored.get(rule)));
}

/** Parses a rule id from a path; an unknown one is a 404. */
export function ruleOf(value: string): RuleId {
  const parsed = RuleIdSchema.safeParse(value);
  if (!parsed.success) throw new NotFoundError('Rule');
  return parsed.data;
}

/**
 * Changes a rule's settings (the security officer): each setting must be one of the rule's, within
 * its bounds. Returns the rule before and after, for the audit entry.
 */
export async function setRule(
  db: Db,
  actor: Actor,
  rule: RuleId,
  input: RuleSettingsInput,
): Promise<{ before: RuleView; after: RuleView }> {
  const officer = authorize(actor, 'warning.configure');
  const limits = RULES[rule].limits;
  const wrong = Object.entries(input.settings ?? {})
    .filter(([name, value]) => {
      const limit = limits[name];
      return !limit || !Number.isFinite(value) || value < limit.min || value > limit.max;
    })
    .map(([name]) => name);
  if (input.response && !RULES[rule].responses.includes(input.response)) wrong.push('response');
  if (wrong.length > 0)
    throw new BadRequestError(
      'invalid_warning_setting',
      `Settings not known or out of range: ${wrong.join(', ')}`,
      {
        settings: wrong,
      },
    );
  const before = await present(db, rule);
  const settings = { ...before.settings, ...(input.settings ?? {}) };
  const row = {
    enabled: input.enabled ?? before.enabled,
    severity: input.severity ?? before.severity,
    settings: JSON.stringify(settings),
    response: input.response ?? before.response,
    updated_by: officer.kind === 'user' ? officer.userId : null,
    updated_at: new Date(),
  };
  await db
    .insertInto('warning_rules')
    .values({ rule, ...row })
    .onConflict((oc) => oc.column('rule').doUpdateSet(row))
    .execute();
  return { before, after: await present(db, rule) };
}
