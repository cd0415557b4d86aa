import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_TYPES } from '../../src/audit/index.js';
import { auditEvents } from '../../web/src/i18n/audit-events.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sources(path);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [path] : [];
  });
}

// The ways the sources write an entry: recordEvent(audit, request, 'type', …), audit.append({ type:
// 'type' … }), a route table of [verb, action, 'type'], and the release types' constants.
const PATTERNS = [
  /recordEvent\(\s*\w+,\s*\w+,\s*'([a-z_.]+)'/g,
  /append\(\{\s*type:\s*'([a-z_.]+)'/g,
  /\[\s*'\w+',\s*\w+,\s*'([a-z_]+\.[a-z_.]+)'\s*\]/g,
  /(?:whole|start|complete):\s*'(data\.[a-z_.]+)'/g,
];

/** The event types written in the server's sources. */
function writtenTypes(): Set<string> {
  const found = new Set<string>();
  for (const file of sources(join(import.meta.dirname, '../../src'))) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of PATTERNS) for (const m of text.matchAll(pattern)) found.add(m[1]!);
    // The one computed type: grant.<new status>, `resumed` for a return to active.
    if (text.includes('`grant.${'))
      for (const s of ['suspended', 'resumed', 'revoked']) found.add(`grant.${s}`);
  }
  return found;
}

describe('audit event names', () => {
  it('lists every type the server writes', () => {
    const written = writtenTypes();
    // The scan finds the call sites (a broken pattern would find none and pass vacuously).
    expect(written.size).toBeGreaterThan(30);
    for (const t of ['auth.login', 'data.release.start', 'resource.published', 'grant.revoked'])
      expect(written).toContain(t);
    const missing = [...written].filter((t) => !(AUDIT_EVENT_TYPES as readonly string[]).includes(t));
    expect(missing).toEqual([]);
  });

  it('names each type in Chinese and English, the Chinese without Latin letters', () => {
    for (const type of AUDIT_EVENT_TYPES) {
      const zh = (auditEvents.zh as Record<string, string>)[type];
      const en = (auditEvents.en as Record<string, string>)[type];
      expect(zh, type).toBeTruthy();
      expect(en, type).toBeTruthy();
      expect(zh, type).not.toMatch(/[A-Za-z]/);
    }
  });
});
