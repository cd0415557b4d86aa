import { ApiError } from './client.js';
import { ROUTES } from './pending-routes.js';

/**
 * What a load did and what it could not do yet: a step whose route the platform does not have
 * (a module still being built) is recorded and skipped, so the rest of the demo still loads.
 */
export class LoadReport {
  readonly counts = new Map<string, number>();
  readonly waiting = new Set<string>();
  readonly failures: string[] = [];

  /** Adds one to a counter. */
  count(what: string, n = 1): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + n);
  }

  /** Runs one API step; undefined when its route is missing or the platform refused it. */
  async attempt<T>(step: keyof typeof ROUTES, run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.routeMissing) this.waiting.add(ROUTES[step]);
      else this.failures.push(error.message);
      return undefined;
    }
  }

  /** Whether a step's route is missing (then the loop over it stops). */
  missing(step: keyof typeof ROUTES): boolean {
    return this.waiting.has(ROUTES[step]);
  }

  /** Lines for the console. */
  lines(): string[] {
    const out = [...this.counts].map(([what, n]) => `  ${what}: ${n}`);
    for (const r of this.waiting)
      out.push(`  waiting for ${r} (not on this server yet; that step was skipped)`);
    for (const f of this.failures.slice(0, 10)) out.push(`  refused: ${f}`);
    if (this.failures.length > 10) out.push(`  … and ${this.failures.length - 10} more refusals`);
    return out;
  }
}
