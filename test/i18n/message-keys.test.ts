import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = join(import.meta.dirname, '../../web/src/i18n');

// The console's messages are spread into one table per language (web/src/i18n/index.tsx), the
// later group winning: a key two groups define silently renames the first group's screen (the
// sandbox release reviews were once titled 跨节点申请 that way). Each key has one owner.
describe('console message keys', () => {
  it('are defined by one group only', async () => {
    const owners = new Map<string, string[]>();
    for (const file of readdirSync(DIR).filter((f) => f.endsWith('.ts') && f !== 'define.ts')) {
      const module = (await import(join(DIR, file))) as Record<string, unknown>;
      for (const value of Object.values(module)) {
        const zh = (value as { zh?: Record<string, string> } | null)?.zh;
        if (!zh || typeof zh !== 'object') continue;
        for (const key of Object.keys(zh)) owners.set(key, [...(owners.get(key) ?? []), file]);
      }
    }
    expect(owners.size).toBeGreaterThan(1000);
    const shared = [...owners]
      .filter(([, files]) => files.length > 1)
      .map(([key, files]) => `${key}: ${files}`);
    expect(shared).toEqual([]);
  });
});
