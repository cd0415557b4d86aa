import { z } from 'zod';

/** One ranked suspect: a recipient of marked releases of a resource, with its accusation. */
export const SuspectSchema = z.object({
  resource: z.string(),
  recipient: z.string().describe('app:<id> or user:<id>'),
  kind: z.enum(['application', 'user']),
  id: z.string(),
  name: z.string().nullable(),
  organization: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
  keys: z
    .array(z.object({ id: z.string(), name: z.string().nullable(), createdBy: z.string().nullable() }))
    .describe('an application’s API keys that took the deliveries, with the person who created each'),
  score: z.number(),
  innocentProbability: z
    .number()
    .describe('upper bound (Bernstein) on the chance that an innocent recipient scores as high'),
  accused: z.boolean().describe('above the threshold that keeps false accusation ≤ epsilon'),
  releases: z
    .array(z.object({ index: z.number().int(), time: z.string() }))
    .describe(
      'the release entries that delivered the resource to it (inclusion proofs: GET /api/v1/audit/proofs/inclusion)',
    ),
});

/** What a trace found. */
export const TraceReportSchema = z.object({
  format: z.enum(['csv', 'xlsx', 'json']),
  encoding: z.string(),
  rows: z.number().int(),
  epsilon: z.number(),
  resources: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      keyColumn: z.string(),
      tolerantColumns: z.array(z.string()),
      positions: z.number().int().describe('code positions observed in the file'),
      threshold: z.number(),
      candidates: z.number().int(),
    }),
  ),
  suspects: z.array(SuspectSchema),
});
export type TraceReport = z.infer<typeof TraceReportSchema>;
export type Suspect = z.infer<typeof SuspectSchema>;
