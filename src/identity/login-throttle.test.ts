import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import type { Store } from '../store/index.js';
import { addressKey, admitLoginAttempt, loginThrottleKeys, settleLoginSuccess } from './login-throttle.js';

const SETTINGS = {
  account: { backoffAfter: 3, lockAfter: 6, lockSeconds: 900 },
  address: { backoffAfter: 100, lockAfter: 100, lockSeconds: 900 },
  forgetSeconds: 3600,
};
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000);

describe('addressKey', () => {
  it('keys IPv4 as is, an IPv4-mapped address as its IPv4, and IPv6 by its /64', () => {
    expect(addressKey('198.51.100.7')).toBe('198.51.100.7');
    expect(addressKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('64:ff9b::198.51.100.7')).toBe('64:ff9b:0:0::/64');
  });
});

describeEachStore('login throttle', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(() => store.close());

  it('backs off 1, 2, 4 s after the third failure and locks at the sixth', async () => {
    const keys = loginThrottleKeys('backoff', '192.0.2.1');
    const admit = (s: number) => admitLoginAttempt(store.db, keys, SETTINGS, at(s));
    expect(await admit(0)).toBeUndefined();
    expect(await admit(0)).toBeUndefined();
    expect(await admit(0)).toBeUndefined(); // the 3rd failure starts the backoff
    expect(await admit(0.5)).toEqual({ scope: 'account', until: at(1) });
    expect(await admit(1)).toBeUndefined(); // 4th
    expect(await admit(2.9)).toEqual({ scope: 'account', until: at(3) });
    expect(await admit(3)).toBeUndefined(); // 5th
    expect(await admit(6.9)).toEqual({ scope: 'account', until: at(7) });
    expect(await admit(7)).toBeUndefined(); // 6th: locked for 900 s
    expect(await admit(906)).toEqual({ scope: 'account', until: at(907) });
    // After the lock each further failure locks again at once.
    expect(await admit(907)).toBeUndefined();
    expect(await admit(908)).toEqual({ scope: 'account', until: at(1807) });
  });

  it('forgets failures after a quiet period, and a success clears the account', async () => {
    const keys = loginThrottleKeys('forget', '192.0.2.2');
    for (let i = 0; i < 3; i++) await admitLoginAttempt(store.db, keys, SETTINGS, at(0));
    expect(await admitLoginAttempt(store.db, keys, SETTINGS, at(0))).toBeDefined();
    // An hour later the count starts again: three attempts before any wait.
    for (let i = 0; i < 3; i++)
      expect(await admitLoginAttempt(store.db, keys, SETTINGS, at(3601))).toBeUndefined();
    expect(await admitLoginAttempt(store.db, keys, SETTINGS, at(3601))).toBeDefined();
    await settleLoginSuccess(store.db, keys, SETTINGS, at(3602));
    for (let i = 0; i < 3; i++)
      expect(await admitLoginAttempt(store.db, keys, SETTINGS, at(3602))).toBeUndefined();
  });

  it('admits exactly lockAfter of many concurrent attempts', async () => {
    const keys = loginThrottleKeys('parallel', '192.0.2.3');
    const settings = { ...SETTINGS, account: { backoffAfter: 5, lockAfter: 5, lockSeconds: 60 } };
    const now = new Date();
    const results = await Promise.all(
      Array.from({ length: 30 }, () => admitLoginAttempt(store.db, keys, settings, now)),
    );
    expect(results.filter((r) => r === undefined)).toHaveLength(5);
  });
});
