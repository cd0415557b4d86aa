import { z } from 'zod';
import { CheckReasonSchema } from './reasons.js';

/** One output check and how the answer fared. */
export const CheckSchema = z.object({
  name: z.enum([
    'aggregated_output',
    'no_identifying_output',
    'checkable_shape',
    'minimum_group_size',
    'condition_effect',
    'no_identifiers_in_values',
  ]),
  passed: z.boolean(),
  detail: z.string().describe('what was checked, or why it did not pass (English)'),
  reasons: z
    .array(CheckReasonSchema)
    .describe(
      'the same as codes and figures, for a client to say in its own language (none in a report stored before them)',
    ),
});
export type Check = z.infer<typeof CheckSchema>;

/** The noise of an answer under a grant with noise (可用不可见 + 差分隐私). */
export const NoiseReportSchema = z
  .object({
    mechanism: z.literal('discrete-laplace'),
    epsilon: z.object({
      perAggregate: z.number().describe('ε of each noised column'),
      spent: z.number().describe('ε this answer cost: per aggregate × noised columns'),
      remainingToday: z.number(),
      remainingTotal: z.number(),
    }),
    columns: z.array(
      z.object({
        name: z.string(),
        aggregate: z.enum(['count', 'sum', 'avg']),
        noiseStddev: z
          .number()
          .describe('the standard deviation of the noise on its values (for avg: on its sum)'),
        countNoiseStddev: z
          .number()
          .nullable()
          .describe('avg only: that of the noise on its count; the average is their ratio, clamped'),
      }),
    ),
  })
  .describe('every value of these columns is noised; the other columns are GROUP BY keys');
export type NoiseReport = z.infer<typeof NoiseReportSchema>;

/** The check report of a sandbox answer (可用不可见): what was checked, and the outcome. */
export const CheckReportSchema = z.object({
  outcome: z
    .enum(['released', 'held_for_review'])
    .describe('released: the rows passed the checks and left; held_for_review: they wait for the steward'),
  minGroupSize: z.number().int().describe('k: every released row aggregates at least this many source rows'),
  checks: z.array(CheckSchema),
  suppressedRows: z
    .number()
    .int()
    .describe('output rows withheld: under k (primary) or to protect them (secondary)'),
  noise: NoiseReportSchema.optional().describe('only under a grant whose answers are noised'),
});
export type CheckReport = z.infer<typeof CheckReportSchema>;

/** What the analyst gets for a held answer: no row, only where it waits. */
export const HeldAnswerSchema = z.object({
  review: z.object({ id: z.uuid(), status: z.literal('pending') }),
  check: CheckReportSchema,
});
