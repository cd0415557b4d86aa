import { BadRequestError, ForbiddenError } from '../../errors/index.js';
import { type BudgetLeft, checkSharingMethod, spendPrivacyBudget } from '../../sharing/index.js';
import type { Caller, QueryContext } from '../context.js';
import { toRecords } from '../deliver/ndjson.js';
import { aggregateFunctionNames, serializeSql } from '../duckdb-parser.js';
import { openRelease } from '../release.js';
import { jsonValue } from '../row-stream.js';
import { type Delivery, releaseDetails } from '../rows.js';
import { Sandbox } from '../sandbox.js';
import type { SecureView } from '../secure-view.js';
import { identifyingColumns } from './identifying.js';
import { noiseReport } from './noise.js';
import { type NoisePlan, noiseUnsupported, planNoise } from './noise-plan.js';
import { holdForReview, requesterOf } from './reviews.js';
import { CHECK_PREFIX } from './rewrite.js';
import { type CheckedAnswer, runChecked, runUnchecked } from './run-checks.js';
import { judgeShape, type Shape } from './shape.js';

/** The platform's least minimum group size (k) when the context sets none. */
export const DEFAULT_MIN_GROUP_SIZE = 10;

/** Whether a query runs in the sandbox mode: some resource it reads is granted for `sandbox` use. */
export const isSandboxQuery = (views: Iterable<SecureView>) =>
  [...views].some((v) => v.access.use === 'sandbox');

/**
 * Under a grant whose answers are noised (`sandboxNoise`), how: only a checkable query over that one
 * resource can be (400 `sandbox_noise_unsupported` for a join, a subquery, max()… which would go to
 * review unnoised), its columns as noise-plan.ts allows.
 */
function noiseOf(list: SecureView[], shape: Shape, aggregates: Set<string>) {
  const view = list.find((v) => v.access.use === 'sandbox' && v.access.sandboxNoise);
  if (!view) return undefined;
  if (shape.kind !== 'checkable' || list.length !== 1)
    throw noiseUnsupported(
      shape.kind === 'review'
        ? shape.reasons.map((r) => `${r.code}: ${r.detail}`).join('; ')
        : 'several resources',
      'This grant noises its answers, and only a query the output checks can vouch for can be noised: no join, subquery, window, set operation, HAVING, LIMIT, min/max or expression inside an aggregate',
    );
  return { view, plan: planNoise(shape.plan, view, view.access.sandboxNoise!.epsilon, aggregates) };
}

/** What the sandbox mode needs of the query (sql.ts's SqlQuery). */
export interface SandboxSql {
  sql: string;
  aliases?: Record<string, string>;
  format: string;
}

/** Loads the views into the sandbox and locks it (sql.ts's enforce step). */
export type LoadViews = (box: Sandbox) => Promise<void>;

/**
 * POST /query over resources granted for `sandbox` use (可用不可见): the analyst's SQL runs over
 * the rows the grant allows (unmasked, or as masked as it says) inside the sandbox, and only an
 * answer that passes the output checks leaves: aggregated rows of at least k source rows each, no
 * identifying item, small cells suppressed, no WHERE condition that singles out fewer than k rows.
 * Any other answer is held server-side for the provider steward's release review (202, no row),
 * and a query that outputs rows or an identifying item is refused before it runs. Under a grant
 * with noise, every released COUNT, SUM and AVG is noised (noise.ts), its ε spent from the grant's
 * budget before anything is read.
 */
export async function deliverSandboxSql(
  ctx: QueryContext,
  caller: Caller,
  query: SandboxSql,
  views: Map<string, SecureView>,
  load: LoadViews,
): Promise<Delivery> {
  const list = [...views.values()];
  if (caller.actor.kind === 'anonymous') throw new ForbiddenError('Sign in', 'no_grant');
  const actor = caller.actor;
  if (query.format !== 'json')
    throw new BadRequestError(
      'sandbox_json_only',
      'In the sandbox mode answers are JSON only: files are not released',
    );
  for (const view of list) checkSharingMethod(view.resource, view.access, 'api');
  if (query.sql.toLowerCase().includes(CHECK_PREFIX))
    throw new BadRequestError('sandbox_reserved_name', `Names starting with ${CHECK_PREFIX} are reserved`);
  const providers = new Set(list.map((v) => v.resource.provider.id));
  if (providers.size > 1)
    throw new BadRequestError(
      'sandbox_single_provider',
      'In the sandbox mode a query reads the resources of one provider, whose steward reviews what it answers',
    );
  const k = Math.max(ctx.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE, DEFAULT_MIN_GROUP_SIZE);
  const tree = (await serializeSql(query.sql)) as { statements: Record<string, unknown>[] };
  // Refusals (row-level output, an identifying item) come before anything is read.
  const aggregates = await aggregateFunctionNames();
  const shape = judgeShape(tree.statements[0]!, identifyingColumns(list), aggregates);
  const noised = noiseOf(list, shape, aggregates);
  const noise: NoisePlan | undefined = noised?.plan;
  // As for statistics: ε is spent atomically before anything is read (parallel queries never
  // overspend; past the budget, 429 and nothing read), and never given back.
  const left: BudgetLeft | undefined = noised
    ? await spendPrivacyBudget(ctx.store.db, noised.view.access, noised.plan.cost)
    : undefined;
  const epsilonMicro = noise && noise.cost > 0 ? { epsilonMicro: Math.round(noise.cost * 1e6) } : {};
  const details = { ...releaseDetails(caller, list, query.sql, 'json'), format: 'json', ...epsilonMicro };
  const release = await openRelease(ctx.audit, details);
  let box: Sandbox | undefined;
  try {
    box = await Sandbox.open(ctx.sandbox);
    await load(box);
    const checked: CheckedAnswer =
      shape.kind === 'checkable'
        ? await runChecked(box, shape.plan, k, noise)
        : await runUnchecked(box, query.sql, k, shape.reasons);
    // A held answer is noised too: the steward reviews, and may release, what the analyst would get.
    if (noise && left) checked.report.noise = noiseReport(noise, checked.columns, left);
    if (checked.report.outcome === 'released') {
      const body = JSON.stringify({
        columns: checked.columns,
        rows: toRecords(
          checked.columns.map((c) => c.name),
          checked.rows,
        ),
        truncated: false,
        check: checked.report,
      });
      await release.json(body, checked.rows.length);
      return { kind: 'json', body };
    }
    const id = await holdForReview(ctx.store.db, ctx.heldRowsKey, {
      providerId: [...providers][0]!,
      consumerOrgId: actor.orgId,
      requester: requesterOf(actor),
      resources: list.map((v) => v.resource.code),
      grantIds: list.map((v) => v.access.grantId).filter((g): g is string => g !== null),
      sql: query.sql,
      aliases: query.aliases ?? {},
      columns: checked.columns,
      rows: checked.rows.map((row) => row.map(jsonValue)),
      report: checked.report,
    });
    await ctx.audit.append({
      type: 'release_review.submitted',
      actor: details.actor,
      requestId: caller.requestId,
      resources: details.resources,
      data: {
        reviewId: id,
        grantId: details.grantId,
        checks: checked.report.checks.filter((c) => !c.passed).map((c) => c.name),
        ...epsilonMicro,
      },
    });
    // The notice is derived from the data (that the answer was held): it leaves as a release of no row.
    const body = JSON.stringify({ review: { id, status: 'pending' }, check: checked.report });
    await release.json(body, 0);
    return { kind: 'json', body, status: 202 };
  } catch (error) {
    await release.fail(error);
    throw error;
  } finally {
    box?.dismiss();
  }
}
