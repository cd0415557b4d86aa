import { ConflictError } from '../errors/index.js';
import type { Binding } from './bindings.js';
import type { QueryContext } from './context.js';

// Describing a source per request would double the queries sent to it; a column dropped or
// retyped is still caught within this many milliseconds (and a dropped one fails at the source).
const CHECK_EVERY_MS = 30_000;
const checked = new Map<string, number>();

/** One bound column that no longer matches the source. */
export interface Drift {
  column: string;
  problem: 'missing' | 'retyped';
  was: string;
  now: string | null;
}

/** The bound columns that are gone or retyped at the source since the binding was made. */
export async function findDrift(ctx: QueryContext, binding: Binding): Promise<Drift[]> {
  const connector = await ctx.connectorFor(binding.sourceId);
  const now = new Map((await connector.describeFrom(binding.from)).map((c) => [c.name, c.type as string]));
  const used = new Set(binding.columns.map((c) => c.column));
  return binding.snapshot
    .filter((c) => used.has(c.name) && now.get(c.name) !== c.type)
    .map((c) => ({
      column: c.name,
      problem: now.has(c.name) ? 'retyped' : 'missing',
      was: c.type,
      now: now.get(c.name) ?? null,
    }));
}

/** Refuses to serve a resource whose bound columns are gone or retyped at the source (409 `schema_drift`). */
export async function assertNoDrift(ctx: QueryContext, binding: Binding): Promise<void> {
  const key = `${binding.resourceId}:${binding.updatedAt.getTime()}`;
  const last = checked.get(key);
  if (last !== undefined && Date.now() - last < CHECK_EVERY_MS) return;
  const drift = await findDrift(ctx, binding);
  if (drift.length > 0) {
    checked.delete(key);
    throw new ConflictError(
      'schema_drift',
      `The source no longer matches the binding (${drift.map((d) => `${d.column}: ${d.was} → ${d.now ?? 'gone'}`).join(', ')}); the provider must rebind`,
      { drift },
    );
  }
  checked.set(key, Date.now());
}
