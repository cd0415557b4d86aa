import { z } from 'zod';
import { ForbiddenError } from '../errors/index.js';
import { type DpResult, DpSumAccumulator, dpCount } from '../privacy/index.js';
import { type BudgetLeft, chargeUsage, spendPrivacyBudget } from '../sharing/index.js';
import type { ConsumerFilter } from './consumer-filter.js';
import { type Caller, consumerHmacKey, type QueryContext } from './context.js';
import { planResource } from './plan.js';
import { readView } from './read-view.js';
import { openRelease } from './release.js';
import { type Delivery, releaseDetails } from './rows.js';
import type { SecureView } from './secure-view.js';
import { type PlannedMeasure, planStatistics, type StatisticsQuery } from './statistics-plan.js';

/** The answer of POST /resources/{code}/statistics. */
export const StatisticsAnswerSchema = z.object({
  resource: z.string(),
  mechanism: z.literal('discrete-laplace'),
  epsilon: z.object({
    perMeasure: z.number(),
    spent: z.number().describe('ε this answer cost: per measure × measures'),
    remainingToday: z.number().nullable().describe('null for the provider’s own reads (no budget)'),
    remainingTotal: z.number().nullable(),
  }),
  groups: z.array(
    z.object({
      group: z.string().nullable().describe('null without GROUP BY'),
      values: z.array(
        z.object({
          measure: z.string(),
          value: z.number(),
          noiseStddev: z.number().describe('the standard deviation of the added noise'),
        }),
      ),
    }),
  ),
});
export type StatisticsAnswer = z.infer<typeof StatisticsAnswerSchema>;

interface GroupTotals {
  count: number;
  sums: (DpSumAccumulator | undefined)[];
}

const newTotals = (measures: PlannedMeasure[]): GroupTotals => ({
  count: 0,
  sums: measures.map((m) => (m.bounds ? new DpSumAccumulator(m.bounds) : undefined)),
});

/** The answer, built from noisy results only. */
function present(
  code: string,
  query: StatisticsQuery,
  spent: number,
  left: BudgetLeft | null,
  groups: { group: string | null; values: { measure: string; result: DpResult }[] }[],
): StatisticsAnswer {
  return {
    resource: code,
    mechanism: 'discrete-laplace',
    epsilon: {
      perMeasure: query.epsilon,
      spent,
      remainingToday: left?.remainingToday ?? null,
      remainingTotal: left?.remainingTotal ?? null,
    },
    groups: groups.map((g) => ({
      group: g.group,
      values: g.values.map((v) => ({
        measure: v.measure,
        value: v.result.value,
        noiseStddev: Math.round(v.result.noiseStddev * 1000) / 1000,
      })),
    })),
  };
}

/** How a front end (the REST endpoint, SQL) describes a statistics query and presents its answer. */
export interface StatisticsFrontEnd {
  /** The query as the release entry records it. */
  description: string;
  /** Conditions on the consumer's columns (SQL's WHERE); the REST endpoint has none. */
  filters?: ConsumerFilter[];
  /** The body sent, and how many answer rows it holds. */
  render(answer: StatisticsAnswer): { body: string; rows: number };
}

/**
 * POST /resources/{code}/statistics: differentially private COUNT, SUM and AVG (统计用途). The
 * rows the grant allows are read through the secure view like any read, but only noisy
 * aggregates leave: every listed group is answered (an empty one too, so that absence tells
 * nothing), with noise from the discrete Laplace mechanism. ε is spent from the grant's budget
 * atomically before anything is read, and the answer is a release logged with its ε.
 */
export async function deliverStatistics(
  ctx: QueryContext,
  caller: Caller,
  code: string,
  query: StatisticsQuery,
): Promise<Delivery> {
  const view = await planResource(ctx, caller, code);
  const provider = view.access.mode === 'provider';
  if (!provider && view.access.use !== 'statistics')
    throw new ForbiddenError(`${view.resource.code} is not granted for statistics`, 'statistics_not_allowed');
  return answerStatistics(ctx, caller, view, query, {
    description: `statistics ${JSON.stringify(query)}`,
    render: (answer) => ({
      body: JSON.stringify(StatisticsAnswerSchema.parse(answer)),
      rows: answer.groups.length,
    }),
  });
}

/**
 * The statistics pipeline after planning, shared by the REST endpoint and SQL: ε spent from the
 * grant's budget atomically before anything is read, the release's entry with its ε, the rows of
 * the secure view (the front end's conditions applied) read and only noisy aggregates presented.
 */
export async function answerStatistics(
  ctx: QueryContext,
  caller: Caller,
  view: SecureView,
  query: StatisticsQuery,
  front: StatisticsFrontEnd,
): Promise<Delivery> {
  const provider = view.access.mode === 'provider';
  const plan = planStatistics(view, query);
  const filtered = (front.filters ?? []).map((f) => view.columns.find((c) => c.name === f.column)!.item);
  const spent = Math.round(query.epsilon * plan.measures.length * 1e6) / 1e6;
  // The call and its answer rows (one per group) count against the day's quota before ε is spent.
  const answerRows = plan.groups?.length ?? 1;
  await chargeUsage(ctx.store.db, view.access, { calls: 1, rows: answerRows });
  // The provider's own members read the records anyway: their statistics spend no budget.
  const left = provider ? null : await spendPrivacyBudget(ctx.store.db, view.access, spent);
  const details = {
    ...releaseDetails(caller, [view], front.description, 'json'),
    items: { [view.resource.code]: [...new Set([...plan.items, ...filtered])] },
    epsilonMicro: Math.round(spent * 1e6),
  };
  const release = await openRelease(ctx.audit, details);
  try {
    const connector = await ctx.connectorFor(view.binding.sourceId);
    const stream = await readView(
      connector,
      view,
      { fields: plan.fields, filters: front.filters },
      consumerHmacKey(ctx, caller.actor, view.access),
    );
    const listed = plan.groups ? new Set(plan.groups) : undefined;
    const totals = new Map<string | null, GroupTotals>(
      (plan.groups ?? [null]).map((g) => [g, newTotals(plan.measures)]),
    );
    for await (const batch of stream.batches)
      for (const row of batch) {
        const key = plan.groupColumn === undefined ? null : String(row[plan.groupColumn] ?? '');
        if (listed && !listed.has(key as string)) continue;
        const t = totals.get(key)!;
        t.count++;
        plan.measures.forEach((m, i) => {
          if (m.column !== undefined) t.sums[i]!.add(row[m.column]);
        });
      }
    const groups = [...totals].map(([group, t]) => ({
      group,
      values: plan.measures.map((m, i) => ({
        measure: m.label,
        result:
          m.fn === 'count'
            ? dpCount(t.count, { epsilon: query.epsilon })
            : m.fn === 'sum'
              ? t.sums[i]!.sum({ epsilon: query.epsilon })
              : t.sums[i]!.avg({ epsilon: query.epsilon }),
      })),
    }));
    const { body, rows } = front.render(present(view.resource.code, query, spent, left, groups));
    await release.json(body, rows);
    return { kind: 'json', body };
  } catch (error) {
    await release.fail(error);
    throw error;
  }
}
