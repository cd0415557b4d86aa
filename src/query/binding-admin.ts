import { z } from 'zod';
import { getResource } from '../catalog/index.js';
import { BadRequestError, NotFoundError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import { classifyColumns } from '../privacy/index.js';
import { getSource } from '../sources/index.js';
import { auditActorOf } from './audit-actor.js';
import { checkCapture } from './binding-capture.js';
import {
  BindingCaptureSchema,
  type BindingFrom,
  type BindResourceInput,
  deleteBinding,
  findBinding,
  saveBinding,
} from './bindings.js';
import type { Caller, QueryContext } from './context.js';
import { findDrift } from './drift.js';

const SAMPLE_ROWS = 200;

/** A binding as the API shows it, with drift found now and the privacy scan's proposals. */
export const BindingViewSchema = z.object({
  resourceCode: z.string(),
  sourceId: z.uuid(),
  from: z.unknown(),
  columns: z.array(z.object({ item: z.string(), column: z.string() })),
  capture: BindingCaptureSchema.nullable().describe('the capture settings named by the steward'),
  drift: z.array(
    z.object({
      column: z.string(),
      problem: z.enum(['missing', 'retyped']),
      was: z.string(),
      now: z.string().nullable(),
    }),
  ),
  proposals: z
    .array(
      z.object({
        item: z.string(),
        column: z.string(),
        kind: z.string().nullable(),
        sensitive: z.boolean(),
        grade: z.string(),
        level: z.number().nullable(),
        confidence: z.number(),
      }),
    )
    .describe('what the privacy scan proposes for each item, to confirm in the catalog'),
});
export type BindingView = z.infer<typeof BindingViewSchema>;

async function ownedResource(ctx: QueryContext, actor: Actor, code: string) {
  const resource = await getResource(ctx.store.db, actor, code);
  authorize(actor, 'resource.manage', { orgId: resource.provider.id, noun: 'Resource' });
  return resource;
}

/** Samples the bound columns and runs the privacy classifier over them (values never leave). */
async function propose(
  ctx: QueryContext,
  sourceId: string,
  from: BindingFrom,
  columns: Array<{ item: string; column: string }>,
) {
  const connector = await ctx.connectorFor(sourceId);
  const names = [...new Set(columns.map((c) => c.column))];
  const sample = await connector.read({ from, columns: names, limit: SAMPLE_ROWS });
  const values: unknown[][] = names.map(() => []);
  for await (const batch of sample.batches)
    for (const row of batch) for (let i = 0; i < row.length; i++) values[i]!.push(row[i]);
  const table = classifyColumns(
    names.map((name, i) => ({ name, values: values[i]!.map((v) => (v === null ? null : String(v))) })),
  );
  const byColumn = new Map(table.columns.map((c) => [c.name, c]));
  return columns.map(({ item, column }) => {
    const c = byColumn.get(column)!;
    return {
      item,
      column,
      kind: c.kind,
      sensitive: c.sensitive,
      grade: c.grade.grade,
      level: 'level' in c.grade ? c.grade.level : null,
      confidence: c.confidence,
    };
  });
}

/** Binds a resource to a table, view, file or SELECT of one of its provider's sources. */
export async function bindResource(
  ctx: QueryContext,
  caller: Caller,
  code: string,
  input: BindResourceInput,
): Promise<BindingView> {
  const { actor } = caller;
  const resource = await ownedResource(ctx, actor, code);
  const source = await getSource(ctx.store.db, input.sourceId).catch(() => undefined);
  if (!source || source.orgId !== resource.provider.id) {
    throw new BadRequestError(
      'unknown_source',
      'The source does not exist or does not belong to the resource’s provider',
      { field: 'sourceId' },
    );
  }
  const connector = await ctx.connectorFor(source.id);
  const described = await connector.describeFrom(input.from);
  const available = new Set(described.map((c) => c.name));
  const columns = resource.items.map((item) => ({
    item: item.name,
    column: input.columns?.[item.name] ?? item.field ?? item.name,
  }));
  const unknownItems = Object.keys(input.columns ?? {}).filter(
    (name) => !resource.items.some((i) => i.name === name),
  );
  if (unknownItems.length)
    throw new BadRequestError('unknown_item', `The resource has no item ${unknownItems.join(', ')}`, {
      items: unknownItems,
    });
  const missing = columns.filter((c) => !available.has(c.column));
  if (missing.length) {
    throw new BadRequestError(
      'unknown_column',
      `No source column for ${missing.map((m) => `${m.item} (${m.column})`).join(', ')}`,
      { missing, available: [...available] },
    );
  }
  checkCapture(input, available);
  const snapshot = described.map((c) => ({ name: c.name, type: c.type }));
  const proposals = await propose(ctx, source.id, input.from, columns);
  const previous = await findBinding(ctx.store.db, resource.id);
  await saveBinding(ctx.store.db, {
    resourceId: resource.id,
    sourceId: source.id,
    from: input.from,
    columns,
    snapshot,
    boundBy: actor.kind === 'user' ? actor.userId : null,
    capture: input.capture ?? null,
  });
  await ctx.audit.append({
    type: 'resource.bound',
    actor: auditActorOf(actor),
    requestId: caller.requestId,
    resources: [resource.code],
    data: {
      ip: caller.ip,
      sourceId: source.id,
      // A re-binding replaces the old one; the previous entry of this resource shows what it was.
      previousSourceId: previous?.sourceId ?? null,
      from: JSON.stringify(input.from),
      columns: columns.map((c) => `${c.item}=${c.column}`),
      capture: input.capture ? JSON.stringify(input.capture) : null,
    },
  });
  return {
    resourceCode: resource.code,
    sourceId: source.id,
    from: input.from,
    columns,
    capture: input.capture ?? null,
    drift: [],
    proposals,
  };
}

/** The binding of a resource with the drift between the source now and the source at binding time. */
export async function describeBinding(ctx: QueryContext, actor: Actor, code: string): Promise<BindingView> {
  const resource = await ownedResource(ctx, actor, code);
  const binding = await findBinding(ctx.store.db, resource.id);
  // The binding is what is asked for: none is a 404 (its code says why), not a malformed request.
  if (!binding) throw new NotFoundError('Binding', 'resource_not_bound');
  const drift = await findDrift(ctx, binding);
  return {
    resourceCode: resource.code,
    sourceId: binding.sourceId,
    from: binding.from,
    columns: binding.columns,
    capture: binding.capture ?? null,
    drift,
    proposals: [],
  };
}

/** Removes a resource's binding. */
export async function unbindResource(ctx: QueryContext, caller: Caller, code: string): Promise<void> {
  const resource = await ownedResource(ctx, caller.actor, code);
  const previous = await findBinding(ctx.store.db, resource.id);
  await deleteBinding(ctx.store.db, resource.id);
  await ctx.audit.append({
    type: 'resource.unbound',
    actor: auditActorOf(caller.actor),
    requestId: caller.requestId,
    resources: [resource.code],
    data: { ip: caller.ip, sourceId: previous?.sourceId ?? null },
  });
}
