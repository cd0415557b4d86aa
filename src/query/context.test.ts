import { describe, expect, it } from 'vitest';
import type { Actor } from '../identity/index.js';
import { consumerHmacKey, type QueryContext } from './context.js';

const ctx = { maskSecret: Buffer.alloc(32, 1) } as QueryContext;
const granted = { mode: 'grant', resourceCode: 'R-1' } as const;
const app = (applicationId: string, keyId = 'k1'): Actor => ({
  kind: 'application',
  applicationId,
  keyId,
  orgId: 'org-1',
  roles: [],
});

// Issue 18: pseudonyms keyed per recipient, so that a leaked one names the recipient it was made for.
describe('consumerHmacKey', () => {
  it('gives two applications of one organisation different keys', () => {
    expect(consumerHmacKey(ctx, app('a1'), granted)).not.toEqual(consumerHmacKey(ctx, app('a2'), granted));
  });

  it('gives one application the same key whatever API key it calls with, and across resources', () => {
    const key = consumerHmacKey(ctx, app('a1', 'k1'), granted);
    expect(consumerHmacKey(ctx, app('a1', 'k2'), granted)).toEqual(key);
    expect(consumerHmacKey(ctx, app('a1'), { mode: 'grant', resourceCode: 'R-2' })).toEqual(key);
  });

  it('gives each person their own key, and open data a key per resource', () => {
    const user = (userId: string): Actor => ({
      kind: 'user',
      userId,
      orgId: 'org-1',
      username: userId,
      roles: [],
    });
    expect(consumerHmacKey(ctx, user('u1'), granted)).not.toEqual(consumerHmacKey(ctx, user('u2'), granted));
    const open = { mode: 'open', resourceCode: 'R-1' } as const;
    expect(consumerHmacKey(ctx, user('u1'), open)).toEqual(consumerHmacKey(ctx, { kind: 'anonymous' }, open));
  });
});
