import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  getResource,
  type ItemView,
  parseDataType,
  type ResourceView,
  type UpdateCycle,
} from '../../catalog/index.js';
import { BadRequestError, NotFoundError } from '../../errors/index.js';
import { type Actor, authorize } from '../../identity/index.js';
import { kindFromColumnName } from '../../privacy/index.js';
import { checkSameSource, type QualityCheck, type QueryContext } from '../../query/index.js';
import type { Database } from '../../store/index.js';
import type { QualityRule, QualityRuleInput, QualityRuleKind } from './schemas.js';

type Db = Kysely<Database>;
const DAY_MS = 86_400_000;

// 更新周期 → the longest a resource's newest change may be old; one day of grace past the cycle.
const CYCLE_DAYS: Record<UpdateCycle, number | null> = {
  realtime: 1,
  daily: 1,
  weekly: 7,
  monthly: 31,
  quarterly: 92,
  half_yearly: 183,
  yearly: 366,
  irregular: null,
};

/** How old the newest change may be under an update cycle (days), or null (不定期: not checked). */
export function maxAgeDays(cycle: UpdateCycle): number | null {
  const days = CYCLE_DAYS[cycle];
  return days === null ? null : days + 1;
}

/** A rule as stored: its items by name, a validity format, a referential target. */
interface Definition {
  items: string[];
  format?: QualityRule['format'];
  target?: { resourceId: string; resource: string; item: string };
}

/** What an item's names say it is: a resident ID number, a credit code, or neither. */
function identifierOf(item: ItemView): 'id_number' | 'credit_code' | null {
  const kinds = [item.field, item.name].map((n) => (n ? kindFromColumnName(n)?.kind : undefined));
  if (kinds.includes('id-number') || item.personalKind === 'identity_document') return 'id_number';
  if (kinds.includes('credit-code')) return 'credit_code';
  return null;
}

const view = (
  id: string,
  origin: QualityRule['origin'],
  kind: QualityRuleKind,
  d: Definition,
  cycle: UpdateCycle,
): QualityRule => ({
  id,
  origin,
  kind,
  items: d.items,
  format: d.format ?? null,
  target: d.target ? { resource: d.target.resource, item: d.target.item } : null,
  maxAgeDays: kind === 'timeliness' ? maxAgeDays(cycle) : null,
});

const CHANGE_NAME = /更新|修改|变更|update|modif|gxsj/i;

/**
 * The rules derived from the catalog, so that a resource has a score without setup. The catalog
 * declares no required flag and no key, so the items that identify (resident ID numbers, credit
 * codes, by their names) stand for both: each must be present and check, and the first is the
 * key. Every typed item (number, date, datetime, boolean) is checked against its type, and a
 * resource with a regular update cycle against it (a date item named like 更新时间, else the
 * upload of a file).
 */
export function defaultRules(resource: ResourceView): QualityRule[] {
  const rules: QualityRule[] = [];
  const add = (kind: QualityRuleKind, d: Definition) =>
    rules.push(view(`default:${kind}:${d.items.join('+')}`, 'default', kind, d, resource.updateCycle));
  let key: string | undefined;
  for (const item of resource.items) {
    const identifier = identifierOf(item);
    if (identifier) {
      add('completeness', { items: [item.name] });
      add('validity', { items: [item.name], format: identifier });
      key ??= item.name;
      continue;
    }
    const type = parseDataType(item.dataType);
    if (type === 'number' || type === 'date' || type === 'datetime' || type === 'boolean')
      add('validity', { items: [item.name], format: type });
  }
  if (key) add('uniqueness', { items: [key] });
  if (maxAgeDays(resource.updateCycle) !== null) {
    const dated = resource.items.filter((i) =>
      ['date', 'datetime'].includes(parseDataType(i.dataType) ?? ''),
    );
    const changed = dated.find((i) => CHANGE_NAME.test(`${i.name} ${i.field ?? ''}`));
    add('timeliness', { items: changed ? [changed.name] : [] });
  }
  return rules;
}

/** The item a reference names (its name or field name), or 400 `unknown_item`. */
function itemNamed(resource: ResourceView, ref: string): ItemView {
  const item = resource.items.find((i) => i.name === ref || i.field === ref);
  if (!item)
    throw new BadRequestError('unknown_item', `${resource.code} has no item ${ref}`, { items: [ref] });
  return item;
}

/** The stewards' rules of a resource, oldest first. */
export async function storedRules(db: Db, resource: ResourceView): Promise<QualityRule[]> {
  const rows = await db
    .selectFrom('quality_rules')
    .selectAll()
    .where('resource_id', '=', resource.id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Definition;
  return rows.map((r) => view(r.id, 'steward', r.kind, parse(r.definition), resource.updateCycle));
}

/**
 * Adds a steward's rule (the provider's stewards and administrators): every item must exist
 * (400 `unknown_item`), a validity rule's format defaults to the item's type, and a referential
 * rule's target must be a resource of the same source (400 `referential_across_sources`).
 */
export async function addQualityRule(
  ctx: QueryContext,
  actor: Actor,
  code: string,
  input: QualityRuleInput,
): Promise<{ resource: ResourceView; rule: QualityRule }> {
  const db = ctx.store.db;
  const resource = await getResource(db, actor, code);
  authorize(actor, 'quality.manage', { orgId: resource.provider.id, noun: 'Resource' });
  const definition = await definitionOf(ctx, actor, resource, input);
  const id = randomUUID();
  await db
    .insertInto('quality_rules')
    .values({
      id,
      resource_id: resource.id,
      kind: input.kind,
      definition: JSON.stringify(definition),
      created_by: actor.kind === 'user' ? actor.userId : null,
    })
    .execute();
  return { resource, rule: view(id, 'steward', input.kind, definition, resource.updateCycle) };
}

async function definitionOf(
  ctx: QueryContext,
  actor: Actor,
  resource: ResourceView,
  input: QualityRuleInput,
): Promise<Definition> {
  switch (input.kind) {
    case 'completeness':
      return { items: [itemNamed(resource, input.item).name] };
    case 'validity': {
      const item = itemNamed(resource, input.item);
      const type = parseDataType(item.dataType);
      const format =
        input.format ??
        (type === 'number' || type === 'date' || type === 'datetime' || type === 'boolean' ? type : null);
      if (!format)
        throw new BadRequestError('bad_request', `Name the format to check ${item.name} against`, {
          field: 'format',
        });
      return { items: [item.name], format };
    }
    case 'uniqueness':
      return { items: [...new Set(input.items.map((i) => itemNamed(resource, i).name))] };
    case 'timeliness': {
      if (maxAgeDays(resource.updateCycle) === null)
        throw new BadRequestError('bad_request', `${resource.code} declares no regular update cycle`, {
          field: 'updateCycle',
        });
      return { items: input.item ? [itemNamed(resource, input.item).name] : [] };
    }
    case 'referential': {
      const item = itemNamed(resource, input.item);
      const target = await getResource(ctx.store.db, actor, input.target.resource);
      const targetItem = itemNamed(target, input.target.item);
      await checkSameSource(ctx, resource, target);
      return {
        items: [item.name],
        target: { resourceId: target.id, resource: target.code, item: targetItem.name },
      };
    }
  }
}

/** Removes a steward's rule; defaults cannot be removed, only switched off with the schedule. */
export async function removeQualityRule(
  db: Db,
  actor: Actor,
  code: string,
  id: string,
): Promise<{ resource: ResourceView; rule: QualityRule }> {
  const resource = await getResource(db, actor, code);
  authorize(actor, 'quality.manage', { orgId: resource.provider.id, noun: 'Resource' });
  const rule = (await storedRules(db, resource)).find((r) => r.id === id);
  if (!rule) throw new NotFoundError('Quality rule');
  await db.deleteFrom('quality_rules').where('id', '=', id).execute();
  return { resource, rule };
}

/** The checks a rule runs (query/'s measureQuality), over item names. */
export function checkOf(rule: QualityRule, resource: ResourceView, targetId?: string): QualityCheck {
  const [item] = rule.items;
  switch (rule.kind) {
    case 'completeness':
      return { kind: 'completeness', item: item! };
    case 'validity':
      return { kind: 'validity', item: item!, format: rule.format! };
    case 'uniqueness':
      return { kind: 'uniqueness', items: rule.items };
    case 'referential':
      return { kind: 'referential', item: item!, target: { resourceId: targetId!, item: rule.target!.item } };
    case 'timeliness':
      return {
        kind: 'timeliness',
        ...(item ? { item } : {}),
        maxAgeMs: (maxAgeDays(resource.updateCycle) ?? 1) * DAY_MS,
      };
  }
}

/** The referenced resource's id of each stored referential rule (the view shows codes). */
export async function referentialTargets(db: Db, resourceId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('quality_rules')
    .select(['id', 'definition'])
    .where('resource_id', '=', resourceId)
    .where('kind', '=', 'referential')
    .execute();
  return new Map(
    rows.map((r) => {
      const d = (typeof r.definition === 'string' ? JSON.parse(r.definition) : r.definition) as Definition;
      return [r.id, d.target!.resourceId];
    }),
  );
}
