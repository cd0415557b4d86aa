import { describe, expect, it } from 'vitest';
import { csvField, csvRow } from './csv.js';
import {
  type FetchedCheckpoint,
  leafHash,
  MemoryTree,
  privateKeyFromSeed,
  signCheckpoint,
  watchLog,
} from './index.js';
import { auditKeyFrom } from './keys.js';

const ORIGIN = 'watch.huitong/audit';
const key = auditKeyFrom(ORIGIN, privateKeyFromSeed(Buffer.alloc(32, 2)));

function tree(n: number, salt = ''): MemoryTree {
  const t = new MemoryTree();
  for (let i = 0; i < n; i++) t.append(leafHash(Buffer.from(`${salt}${i}`)));
  return t;
}

describe('watch', () => {
  it('follows a growing log and raises an alarm on a fork, a shrink or a bad signature', async () => {
    const honest = tree(30);
    const forked = tree(30, 'x');
    const served: Array<(since: number) => FetchedCheckpoint> = [
      () => ({
        note: signCheckpoint({ origin: ORIGIN, size: 10, root: honest.root(10) }, key.signer),
        proof: [],
      }),
      (since) => ({
        note: signCheckpoint({ origin: ORIGIN, size: 20, root: honest.root(20) }, key.signer),
        proof: honest.consistencyProof(since, 20),
      }),
      () => ({
        note: signCheckpoint({ origin: ORIGIN, size: 20, root: honest.root(20) }, key.signer),
        proof: [],
      }),
      (since) => ({
        note: signCheckpoint({ origin: ORIGIN, size: 30, root: forked.root(30) }, key.signer),
        proof: forked.consistencyProof(since, 30),
      }),
      () => ({
        note: signCheckpoint({ origin: ORIGIN, size: 20, root: forked.root(20) }, key.signer),
        proof: [],
      }),
      () => ({
        note: signCheckpoint({ origin: ORIGIN, size: 5, root: honest.root(5) }, key.signer),
        proof: [],
      }),
      () => ({
        note: signCheckpoint({ origin: ORIGIN, size: 30, root: honest.root(30) }, key.signer).replace(
          '30',
          '31',
        ),
        proof: [],
      }),
    ];
    const seen: number[] = [];
    const alarms: string[] = [];
    let step = 0;
    const watcher = watchLog({
      fetch: async (since) => served[step++]!(since),
      vkey: key.vkey,
      origin: ORIGIN,
      intervalMs: 60_000,
      onCheckpoint: (c) => seen.push(c.size),
      onAlarm: (a) => alarms.push(a.code),
    });
    for (let i = 0; i < served.length; i++) await watcher.poll();
    watcher.stop();
    expect(seen).toEqual([10, 20]);
    expect(alarms).toEqual(['inconsistent', 'fork', 'shrunk', 'bad_signature']);
    expect(watcher.trusted?.size).toBe(20);
  });

  it('quotes CSV fields per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"\nbye')).toBe('"say ""hi""\nbye"');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
    expect(csvRow(['数据', 1, undefined])).toBe('数据,1,\r\n');
  });
});
