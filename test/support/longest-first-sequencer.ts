import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The two workers take the files in this order, each the next one when it is free. A long file
// taken last keeps one worker busy alone at the end (the accessibility sweep, started last, once
// ran 277 s after the other worker had finished). Vitest's own order puts the longest first only
// when it has their durations from an earlier run, which a clean clone (CI) does not have. So:
// the files known to take 30 s or more first, longest first (the durations of this checkout's
// last run when Vitest has them, else the figures below); then the files that start processes or
// a browser (servers, the CLI, Chromium: tens of seconds each), larger first; then the rest,
// larger first.

/**
 * Seconds each file takes in a full run (CI, 2 cores), for the order only: a rough figure is
 * enough. The CI run of 2026-12-06, scaled by what the CLI bundle saved in each (run alone before
 * and after, back to back): a11y 277, backup 169, cli 171, responsive 95, sources 88 before it.
 */
export const KNOWN_SECONDS: Record<string, number> = {
  'test/browser/a11y-sweep.test.ts': 270,
  // Three node processes started twice (the demo, then again after the fork), witnesses' rounds.
  'test/multiprocess/federation-demo.test.ts': 300,
  'test/backup/backup-cli.test.ts': 155,
  'src/cli/cli.test.ts': 95,
  'test/browser/responsive.test.ts': 90,
  'src/cli/commands/sources.test.ts': 63,
};

/** What marks a file that starts processes or a browser. */
const STARTS_PROCESSES = /\b(startServer|openBrowser|huitongCommand|spawn|execFile|fork)\(/;

/** Vitest sequencer: known-long files first, longest first; then files that start processes. */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { root } = this.ctx.config;
    const facts = new Map(
      files.map((f) => {
        const path = relative(root, f.moduleId);
        const cached = this.ctx.cache.getFileTestResults(`${f.project.name}:${path}`)?.duration;
        const seconds = cached !== undefined ? cached / 1000 : (KNOWN_SECONDS[path] ?? 0);
        const heavy = STARTS_PROCESSES.test(readFileSync(f.moduleId, 'utf8'));
        return [f, { seconds, rank: seconds >= 30 ? 0 : heavy ? 1 : 2, size: statSync(f.moduleId).size }];
      }),
    );
    const of = (f: TestSpecification) => facts.get(f)!;
    return [...files].sort(
      (a, b) => of(a).rank - of(b).rank || of(b).seconds - of(a).seconds || of(b).size - of(a).size,
    );
  }
}
