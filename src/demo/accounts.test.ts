import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXCLUSIVE_ROLES } from '../identity/index.js';
import { ACCOUNTS, BUREAU, ORGANIZATIONS } from './members.js';

describe('demo accounts', () => {
  it('are all listed in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const a of ACCOUNTS) expect(readme, a.username).toContain(`\`${a.username}\``);
  });

  it('cover every role, in known members, and keep the three officers apart', () => {
    const keys = new Set([BUREAU.key, ...ORGANIZATIONS.map((o) => o.key)]);
    const roles = new Set(ACCOUNTS.flatMap((a) => a.roles));
    for (const role of [
      'platform_admin',
      'security_officer',
      'auditor',
      'org_admin',
      'data_steward',
      'analyst',
      'catalog_reviewer',
    ]) {
      expect(roles.has(role as never), role).toBe(true);
    }
    for (const a of ACCOUNTS) {
      expect(keys.has(a.org)).toBe(true);
      expect(
        a.roles.filter((r) => (EXCLUSIVE_ROLES as readonly string[]).includes(r)).length,
      ).toBeLessThanOrEqual(1);
    }
  });
});
