import { describe, expect, it } from 'vitest';
import { isPoolSaturated, isStoreConnectionError } from './availability.js';

describe('store availability', () => {
  it('tells a full pool (congestion) from a store that does not answer (outage)', () => {
    const full = new Error('timeout exceeded when trying to connect');
    expect(isPoolSaturated(full)).toBe(true);
    expect(isStoreConnectionError(full)).toBe(false);
    const silent = new Error('Connection terminated due to connection timeout');
    expect(isPoolSaturated(silent)).toBe(false);
    expect(isStoreConnectionError(silent)).toBe(true);
    expect(isStoreConnectionError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
  });
});
