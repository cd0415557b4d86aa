import { z } from 'zod';
import type { ItemView, ResourceView } from '../catalog/index.js';
import { BadRequestError, ConflictError } from '../errors/index.js';
import { applyMask } from '../privacy/index.js';
import { defaultMask } from '../sharing/index.js';
import { type Connector, getSource, type SelectExpression } from '../sources/index.js';
import { type Binding, findBinding } from './bindings.js';
import type { QueryContext } from './context.js';
import {
  countWhere,
  dangling,
  duplicated,
  invalid,
  keyPresent,
  missing,
  type Predicate,
  present,
} from './quality-sql.js';

// Data quality (数据质量) as a platform read: the checks of a resource's rules run inside its
// source (one aggregate SELECT), and only counts and a few sample rows of the failures come back,
// each sample value masked with the item's default mask before it leaves this function.

const item = z.string().min(1).max(100);

/** One check, over catalog item names (governance/ resolves rules into these). */
export const QualityCheckSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('completeness'), item }),
  z.strictObject({
    kind: z.literal('validity'),
    item,
    format: z.enum(['number', 'date', 'datetime', 'boolean', 'id_number', 'credit_code']),
  }),
  z.strictObject({ kind: z.literal('uniqueness'), items: z.array(item).min(1).max(8) }),
  z.strictObject({
    kind: z.literal('referential'),
    item,
    target: z.strictObject({ resourceId: z.uuid(), item }),
  }),
  z.strictObject({
    kind: z.literal('timeliness'),
    item: item.optional(),
    maxAgeMs: z.number().int().positive(),
  }),
]);
export type QualityCheck = z.infer<typeof QualityCheckSchema>;

/** What one check found: rows counted and failed, masked samples of the failures. */
export interface QualityMeasure {
  checked: number;
  failed: number;
  samples: Array<Record<string, string | null>>;
  /** Timeliness: the newest change seen (ISO), or null when there is none. */
  lastChange?: string | null;
}

/** Options of a measurement. */
export interface MeasureOptions {
  /** Sample rows kept per failing check (masked). */
  sampleLimit: number;
  now: Date;
}

/** The source column an item is bound to, or 409 `item_not_bound`. */
function columnOf(binding: Binding, name: string): string {
  const bound = binding.columns.find((c) => c.item === name);
  if (!bound)
    throw new ConflictError(
      'item_not_bound',
      `The item ${name} is not bound to a source column; rebind the resource`,
    );
  return bound.column;
}

/** The binding of a resource, or 409 `resource_not_bound`. */
async function bindingOf(ctx: QueryContext, resource: Pick<ResourceView, 'id' | 'code'>): Promise<Binding> {
  const binding = await findBinding(ctx.store.db, resource.id);
  if (!binding)
    throw new ConflictError(
      'resource_not_bound',
      `The resource ${resource.code} is not bound to a source yet`,
    );
  return binding;
}

/**
 * Checks that a referential rule stays inside one source: both resources bound, to the same
 * source (a join across two systems cannot run in either), else 400 `referential_across_sources`.
 */
export async function checkSameSource(
  ctx: QueryContext,
  resource: Pick<ResourceView, 'id' | 'code'>,
  target: Pick<ResourceView, 'id' | 'code'>,
): Promise<void> {
  const [own, other] = await Promise.all([bindingOf(ctx, resource), bindingOf(ctx, target)]);
  if (own.sourceId !== other.sourceId)
    throw new BadRequestError(
      'referential_across_sources',
      `${resource.code} and ${target.code} are bound to different sources; a referential rule joins inside one source`,
      { resource: resource.code, target: target.code },
    );
}

interface Planned {
  counted?: Predicate;
  failed?: Predicate;
  /** Items shown in a sample row. */
  sampleItems: string[];
  sort?: string[];
  newest?: string;
}

async function plan(ctx: QueryContext, binding: Binding, check: QualityCheck): Promise<Planned> {
  const types = new Map(binding.snapshot.map((c) => [c.name, c.type]));
  switch (check.kind) {
    case 'completeness':
      return { failed: missing(columnOf(binding, check.item)), sampleItems: [check.item] };
    case 'validity': {
      const column = columnOf(binding, check.item);
      const type = (types.get(column) ?? 'string') as Parameters<typeof invalid>[2];
      return {
        counted: present(column),
        failed: invalid(column, check.format, type),
        sampleItems: [check.item],
      };
    }
    case 'uniqueness': {
      const columns = check.items.map((i) => columnOf(binding, i));
      return {
        counted: keyPresent(columns),
        failed: duplicated(binding.from, columns),
        sampleItems: check.items,
        sort: columns,
      };
    }
    case 'referential': {
      const target = await findBinding(ctx.store.db, check.target.resourceId);
      if (!target || target.sourceId !== binding.sourceId)
        throw new BadRequestError(
          'referential_across_sources',
          'The referenced resource is not bound to the same source',
        );
      const column = columnOf(binding, check.item);
      return {
        counted: present(column),
        failed: dangling(column, { from: target.from, column: columnOf(target, check.target.item) }),
        sampleItems: [check.item],
      };
    }
    case 'timeliness':
      return { sampleItems: [], ...(check.item ? { newest: columnOf(binding, check.item) } : {}) };
  }
}

const number = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

function instant(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** The sample rows of one failing check, masked item by item. */
async function samples(
  connector: Connector,
  binding: Binding,
  items: ItemView[],
  planned: Planned,
  limit: number,
): Promise<Array<Record<string, string | null>>> {
  if (!planned.failed || planned.sampleItems.length === 0 || limit === 0) return [];
  const columns = planned.sampleItems.map((i) => columnOf(binding, i));
  const failed = planned.failed;
  const read = await connector.read({
    from: binding.from,
    columns,
    conditions: [{ build: failed }],
    sort: (planned.sort ?? []).map((column) => ({ column, direction: 'asc' as const })),
    limit,
  });
  const masks = planned.sampleItems.map((name) => {
    const view = items.find((i) => i.name === name);
    return view ? defaultMask(view) : { kind: 'redact' as const };
  });
  const rows: Array<Record<string, string | null>> = [];
  for await (const batch of read.batches)
    for (const row of batch)
      rows.push(
        Object.fromEntries(planned.sampleItems.map((name, i) => [name, applyMask(masks[i]!, row[i])])),
      );
  return rows.slice(0, limit);
}

/**
 * Runs a resource's checks inside its source: one aggregate SELECT for every count, then one
 * bounded read per failing check for its samples (masked with the items' default masks, which a
 * provider's own members see too). A source that cannot be reached throws its coded error: the
 * caller records a failed run, never a score of zero.
 */
export async function measureQuality(
  ctx: QueryContext,
  resource: ResourceView,
  checks: QualityCheck[],
  options: MeasureOptions,
): Promise<QualityMeasure[]> {
  const binding = await bindingOf(ctx, resource);
  const planned = await Promise.all(checks.map((check) => plan(ctx, binding, check)));
  const connector = await ctx.connectorFor(binding.sourceId);
  const expressions: SelectExpression[] = [{ alias: 'n', type: 'integer', build: () => 'COUNT(*)' }];
  planned.forEach((p, i) => {
    if (p.counted) expressions.push({ alias: `c${i}`, type: 'integer', build: countWhere(p.counted) });
    if (p.failed) expressions.push({ alias: `f${i}`, type: 'integer', build: countWhere(p.failed) });
    const newest = p.newest;
    if (newest)
      expressions.push({ alias: `m${i}`, type: 'string', build: (c) => `MAX(${c.column(newest)})` });
  });
  const read = await connector.read({ from: binding.from, columns: [], expressions, limit: 1 });
  let totals: unknown[] = [];
  for await (const batch of read.batches) totals = batch[0] ?? totals;
  const at = (alias: string) => totals[read.columns.findIndex((c) => c.name === alias)];
  const rows = number(at('n'));
  const fileTime = await fileUpdatedAt(ctx, connector, binding);
  const measures: QualityMeasure[] = [];
  for (const [i, check] of checks.entries()) {
    const p = planned[i]!;
    if (check.kind === 'timeliness') {
      const last = p.newest ? instant(at(`m${i}`)) : fileTime;
      // Without a timestamp item a database source says nothing of its changes: not measured.
      if (!p.newest && !last) measures.push({ checked: 0, failed: 0, samples: [], lastChange: null });
      else {
        const stale = !last || options.now.getTime() - last.getTime() > check.maxAgeMs;
        measures.push({
          checked: 1,
          failed: stale ? 1 : 0,
          samples: [],
          lastChange: last?.toISOString() ?? null,
        });
      }
      continue;
    }
    const failed = number(at(`f${i}`));
    measures.push({
      checked: p.counted ? number(at(`c${i}`)) : rows,
      failed,
      samples: failed > 0 ? await samples(connector, binding, resource.items, p, options.sampleLimit) : [],
    });
  }
  return measures;
}

/** When an uploaded file's data last changed (its upload); null for other sources. */
async function fileUpdatedAt(
  ctx: QueryContext,
  connector: Connector,
  binding: Binding,
): Promise<Date | null> {
  if (connector.kind !== 'file') return null;
  const source = await getSource(ctx.store.db, binding.sourceId);
  return instant(source.updatedAt);
}
