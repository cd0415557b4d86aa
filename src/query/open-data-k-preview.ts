import { z } from 'zod';
import { getResource } from '../catalog/index.js';
import { ConflictError, NotFoundError } from '../errors/index.js';
import { authorize, isAllowed } from '../identity/index.js';
import {
  type EquivalenceClass,
  type GeneraliseResult,
  generaliseToK,
  hierarchyOf,
  maskSpecSchema,
  quasiKindOf,
} from '../privacy/index.js';
import {
  type Access,
  checkKGate,
  DEFAULT_OPEN_DATA_MIN_K,
  GrantItemSchema,
  getOpenRelease,
  type OpenReleaseCheck,
  type OpenReleaseInput,
  type OpenReleaseView,
  openAccess,
  setOpenRelease,
} from '../sharing/index.js';
import { auditActorOf } from './audit-actor.js';
import { findBinding } from './bindings.js';
import { type Caller, consumerHmacKey, type QueryContext } from './context.js';
import { assertNoDrift } from './drift.js';
import { belowK, countedColumns, namedClass, quasiColumns, requiredK, smallClasses } from './open-data-k.js';
import { openRelease } from './release.js';
import { type SecureView, secureView } from './secure-view.js';

/** Body of POST /resources/{code}/open-release/k-preview and …/generalise. */
export const KPreviewInputSchema = z.strictObject({
  quasiIdentifiers: z.array(z.string().min(1).max(100)).min(1).max(8).describe('准标识符: released items'),
  k: z.number().int().min(2).max(10_000).optional().describe('the platform minimum when absent'),
});
export type KPreviewInput = z.infer<typeof KPreviewInputSchema>;

const ClassSchema = z.object({
  values: z.record(z.string(), z.string().nullable()).describe('the generalised quasi-identifier values'),
  size: z.number().int(),
});

/** What the steward's preview shows: the live k of the current release, and the generalisation reaching k. */
export const KPreviewSchema = z.object({
  resourceCode: z.string(),
  k: z.number().int().describe('the k required: the one asked for, at least the platform minimum'),
  minK: z.number().int(),
  live: z.object({
    k: z.number().int().nullable().describe('the smallest class of the rows as released now; null: no rows'),
    smallest: z.array(ClassSchema),
  }),
  generalisation: z.object({
    reachable: z.boolean(),
    reason: z
      .enum(['fewer_rows_than_k', 'empty_values_below_k', 'too_many_distinct_values', 'search_limit'])
      .nullable(),
    levels: z.array(
      z.object({ item: z.string(), kind: z.string(), level: z.number().int(), mask: maskSpecSchema }),
    ),
    k: z.number().int().nullable().describe('the smallest class once generalised'),
    smallest: z.array(ClassSchema),
    items: z.array(GrantItemSchema).describe('the open release’s items with the generalisation applied'),
  }),
});
export type KPreview = z.infer<typeof KPreviewSchema>;

const MAX_TUPLES = 100_000;
const REASONS = {
  fewer_rows_than_k: 'the resource has fewer rows than k',
  empty_values_below_k: 'rows with empty quasi-identifier values form a class smaller than k',
  too_many_distinct_values: `more than ${MAX_TUPLES} distinct combinations of quasi-identifier values`,
  search_limit: 'no generalisation within the search limit reaches k',
} as const;
type Reason = keyof typeof REASONS;

type StewardView = Awaited<ReturnType<typeof stewardView>>;

/** The steward's open view of a resource under a proposed gate, or a 404 when it is not bound. */
async function stewardView(ctx: QueryContext, caller: Caller, code: string, input: KPreviewInput) {
  const db = ctx.store.db;
  const resource = await getResource(db, caller.actor, code);
  authorize(caller.actor, 'resource.manage', { orgId: resource.provider.id, noun: 'Resource' });
  const minK = ctx.openDataMinK ?? DEFAULT_OPEN_DATA_MIN_K;
  const current = await openAccess(db, resource, minK);
  const gate = checkKGate(resource, current.items, input, minK)!;
  const binding = await findBinding(db, resource.id);
  if (!binding) throw new NotFoundError(`The data of ${resource.code}`, 'resource_not_bound');
  await assertNoDrift(ctx, binding);
  const view = secureView(resource, { ...current, kGate: gate }, binding);
  return { view, k: requiredK(ctx, gate), minK, columns: quasiColumns(view, gate.quasiIdentifiers) };
}

function reasonOf(tuples: EquivalenceClass[], result: GeneraliseResult, k: number): Reason | null {
  if (result.ok) return null;
  const total = tuples.reduce((n, t) => n + t.size, 0);
  if (total < k) return 'fewer_rows_than_k';
  if (result.report.smallest.some((c) => Object.values(c.values).includes(null)))
    return 'empty_values_below_k';
  return 'search_limit';
}

/** Measures the current release and searches the least generalisation of its quasi-identifiers reaching k. */
async function measure(ctx: QueryContext, caller: Caller, steward: StewardView): Promise<KPreview> {
  const { view, k, minK, columns } = steward;
  const connector = await ctx.connectorFor(view.binding.sourceId);
  const hmacKey = consumerHmacKey(ctx, caller.actor, view.access);
  const live = await smallClasses(connector, view, columns, { limit: 10, hmacKey });
  // The clear values with their counts: the search generalises them with the same masks.
  const tuples = await smallClasses(connector, view, columns, {
    limit: MAX_TUPLES + 1,
    hmacKey,
    masks: columns.map(() => ({ kind: 'none' })),
  });
  const personal = new Set(view.resource.items.filter((i) => i.personal).map((i) => i.name));
  const kinds = columns.map(
    (c) => quasiKindOf(view.resource.items.find((i) => i.name === c.item)!) ?? 'other',
  );
  const quasi = columns.map((c, i) => ({ column: c.item, hierarchy: hierarchyOf(kinds[i]!) }));
  const tooMany = tuples.length > MAX_TUPLES;
  const result = generaliseToK(tooMany ? [] : tuples.map((t) => t.values), quasi, {
    k,
    maxNodes: 5000,
    // A personal item never goes out in clear: its least level is the first generalisation.
    minLevels: columns.map((c) => (personal.has(c.item) ? 1 : 0)),
    ...(tooMany ? {} : { weights: tuples.map((t) => t.size) }),
  });
  const reason: Reason | null = tooMany ? 'too_many_distinct_values' : reasonOf(tuples, result, k);
  const levels = columns.map((c, i) => ({
    item: c.item,
    kind: kinds[i]!,
    level: result.levels[i]!,
    mask: result.levels[i] === 0 ? c.mask : result.masks[i]!.mask,
  }));
  const byItem = new Map(levels.map((l) => [l.item, l.mask]));
  return {
    resourceCode: view.resource.code,
    k,
    minK,
    live: { k: live[0]?.size ?? null, smallest: live },
    generalisation: {
      reachable: reason === null,
      reason,
      levels,
      k: tooMany ? null : result.report.k,
      smallest: tooMany ? [] : result.report.smallest,
      items: view.access.items.map((i) => ({ name: i.name, mask: byItem.get(i.name) ?? i.mask })),
    },
  };
}

/** The steward's reads of its own rows for the gate: a release to the provider, logged first. */
function stewardRelease(ctx: QueryContext, caller: Caller, code: string, input: KPreviewInput, what: string) {
  return openRelease(ctx.audit, {
    actor: auditActorOf(caller.actor),
    requestId: caller.requestId,
    resources: [code],
    items: { [code]: input.quasiIdentifiers },
    grantId: null,
    purpose: 'k 匿名检查',
    query: `${what} ${JSON.stringify(input)}`,
    format: 'json',
  });
}

/**
 * POST /resources/{code}/open-release/k-preview (the provider's steward): the live k of the rows
 * the open release sends now, its smallest classes, and the least generalisation reaching k.
 */
export async function previewOpenK(
  ctx: QueryContext,
  caller: Caller,
  code: string,
  input: KPreviewInput,
): Promise<KPreview> {
  // Who may and what is asked are checked before the release opens; nothing of the rows is read yet.
  const steward = await stewardView(ctx, caller, code, input);
  const release = await stewardRelease(ctx, caller, steward.view.resource.code, input, 'k-preview');
  try {
    const preview = KPreviewSchema.parse(await measure(ctx, caller, steward));
    await release.json(JSON.stringify(preview), preview.live.smallest.length);
    return preview;
  } catch (error) {
    await release.fail(error);
    throw error;
  }
}

/**
 * The check of an open release before it is stored: its released rows, measured in the source,
 * must reach k. Below k the steward's refusal names the smallest classes (their generalised
 * values and sizes: the provider owns the data), logged before it is answered.
 */
export function openReleaseCheck(
  ctx: QueryContext,
  caller: Caller,
  options: { classes?: boolean } = {},
): OpenReleaseCheck {
  return async (resource, access: Access) => {
    if (!access.kGate) return;
    const binding = await findBinding(ctx.store.db, resource.id);
    // Nothing bound, nothing to measure: every read is gated once it is bound.
    if (!binding) return;
    const full = await getResource(ctx.store.db, caller.actor, resource.code);
    const view: SecureView = secureView(full, access, binding);
    const columns = quasiColumns(view, access.kGate.quasiIdentifiers);
    const counted = countedColumns(view, access.kGate.quasiIdentifiers);
    if (counted.length === 0) return;
    const k = requiredK(ctx, access.kGate);
    const connector = await ctx.connectorFor(binding.sourceId);
    const small = await smallClasses(connector, view, counted, {
      below: k,
      limit: 10,
      hmacKey: consumerHmacKey(ctx, caller.actor, access),
    });
    if (small.length === 0) return;
    const smallest = small.map((c) => namedClass(c, columns));
    await ctx.audit.append({
      type: 'open_release.below_k',
      actor: auditActorOf(caller.actor),
      requestId: caller.requestId,
      resources: [resource.code],
      data: { k, quasiIdentifiers: columns.map((c) => c.item) },
    });
    throw belowK(resource.code, k, columns, options.classes === false ? undefined : { smallest });
  };
}

/**
 * Before a resource is published (its steward's POST …/publish): an open release with a gate must
 * reach k on its rows now, else 409 `open_release_below_k` — k and the names only; the preview
 * shows the classes. Without a gate, or for a caller who may not publish, nothing is measured.
 */
export async function checkOpenReleaseBeforePublish(
  ctx: QueryContext,
  caller: Caller,
  code: string,
): Promise<void> {
  const db = ctx.store.db;
  const resource = await getResource(db, caller.actor, code);
  if (resource.openType === 'not_open') return;
  if (!isAllowed(caller.actor, 'resource.manage', { orgId: resource.provider.id, noun: 'Resource' })) return;
  const release = await getOpenRelease(db, caller.actor, code, ctx.openDataMinK ?? DEFAULT_OPEN_DATA_MIN_K);
  if (!release.configured || !release.kAnonymity) return;
  const access: Access = {
    mode: 'open',
    resourceCode: resource.code,
    grantId: null,
    purpose: '数据开放',
    use: 'detail',
    items: release.items,
    rowFilter: [],
    quota: null,
    mayExport: true,
    privacyBudget: null,
    kGate: release.kAnonymity,
  };
  await openReleaseCheck(ctx, caller, { classes: false })(resource, access);
}

/**
 * POST /resources/{code}/open-release/generalise: applies the least generalisation reaching k to
 * the open release (its quasi-identifiers' masks) with the gate, or 409 `k_not_reachable` with
 * the reason. The release is checked in the source again before it is stored.
 */
export async function applyOpenKGeneralisation(
  ctx: QueryContext,
  caller: Caller,
  code: string,
  input: KPreviewInput,
): Promise<{ release: OpenReleaseView; preview: KPreview }> {
  const steward = await stewardView(ctx, caller, code, input);
  const release = await stewardRelease(ctx, caller, steward.view.resource.code, input, 'k-generalise');
  try {
    const preview = await measure(ctx, caller, steward);
    const g = preview.generalisation;
    if (!g.reachable) {
      const reason = g.reason!;
      throw new ConflictError(
        'k_not_reachable',
        `No generalisation reaches k = ${preview.k}: ${REASONS[reason]}`,
        {
          reason,
          k: preview.k,
        },
      );
    }
    const body: OpenReleaseInput = { items: g.items, quasiIdentifiers: input.quasiIdentifiers, k: preview.k };
    const stored = await setOpenRelease(ctx.store.db, caller.actor, code, body, {
      minK: preview.minK,
      check: openReleaseCheck(ctx, caller),
    });
    await release.json(JSON.stringify(stored), 0);
    return { release: stored, preview };
  } catch (error) {
    await release.fail(error);
    throw error;
  }
}
