import { describe, expect, it } from 'vitest';
import { mayReceiveKeys } from './join-keys.js';

describe('who may be sent a view’s join keys', () => {
  it('a source of the keys’ own provider, or of the caller’s organisation; no other', () => {
    expect(mayReceiveKeys('police', 'police', 'tax')).toBe(true);
    expect(mayReceiveKeys('tax', 'police', 'tax')).toBe(true);
    expect(mayReceiveKeys('market', 'police', 'tax')).toBe(false);
    expect(mayReceiveKeys('market', 'police', undefined)).toBe(false);
  });
});
