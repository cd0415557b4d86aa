import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.js';
import { privateKeyFromSeed } from './ed25519.js';
import { KEY_FILE, loadOrCreateAuditKey } from './keys.js';
import { ed25519Signer, NoteError, openNote, signNote, verifierFromVkey, vkeyOf } from './note.js';

// Vectors from formats.md §1.
const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const SPEC_NOTE =
  'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_NOTE =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const TESTLOG_VKEY = 'example.org/testlog+87773dc7+AYqI4910CfGV/VLbLTy6XXLKZwm/HZQSG/N0iAG0D29c';
const TESTLOG_NOTE =
  'example.org/testlog\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n— example.org/testlog h3c9x2tHGFGcFFcYrPgiUGY5Qward1f3HMUT3i9vCLYqqZ7hrD4JAhP14y7ofu3b63rkYSXq1cnG97YhJOLp5MKYyA4=\n';

describe('signed notes', () => {
  it('verifies the upstream test vectors', () => {
    expect(openNote(SPEC_NOTE, [verifierFromVkey(SPEC_VKEY)]).text).toBe('This is an example message.\n');
    expect(openNote(GO_NOTE, [verifierFromVkey(GO_VKEY)]).verifiedBy).toEqual(['PeterNeumann']);
  });

  it('reproduces the seed 0x01×32 checkpoint exactly', () => {
    const signer = ed25519Signer('example.org/testlog', privateKeyFromSeed(Buffer.alloc(32, 1)));
    const root = Buffer.from('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328', 'hex');
    expect(signCheckpoint({ origin: 'example.org/testlog', size: 8, root }, signer)).toBe(TESTLOG_NOTE);
    const publicKey = Buffer.from(TESTLOG_VKEY.split('+')[2]!, 'base64').subarray(1);
    expect(vkeyOf('example.org/testlog', publicKey)).toBe(TESTLOG_VKEY);
    expect(openCheckpoint(TESTLOG_NOTE, verifierFromVkey(TESTLOG_VKEY))).toEqual({
      origin: 'example.org/testlog',
      size: 8,
      root,
    });
  });

  it('rejects a bad signature, an unknown key, a wrong origin and malformed vkeys', () => {
    const verifier = verifierFromVkey(TESTLOG_VKEY);
    const forged = TESTLOG_NOTE.replace('\n8\n', '\n9\n');
    expect(() => openCheckpoint(forged, verifier)).toThrow(NoteError);
    expect(() => openNote(TESTLOG_NOTE, [verifierFromVkey(SPEC_VKEY)])).toThrow(
      /no signature by a known key/,
    );
    expect(() => openCheckpoint(TESTLOG_NOTE, verifier, 'other.org/log')).toThrow(/origin/);
    expect(() => verifierFromVkey(TESTLOG_VKEY.replace('87773dc7', '87773dc8'))).toThrow(/key id/);
    expect(() => verifierFromVkey('a+b')).toThrow(NoteError);
    expect(() => signNote('no newline', [])).toThrow(NoteError);
  });

  it('parses checkpoint bodies strictly', () => {
    expect(() => parseCheckpoint('o\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n')).toThrow(/size/);
    expect(() => parseCheckpoint('o\n8\nshort\n')).toThrow(/root/);
    expect(parseCheckpoint('o\n0\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\next\n').size).toBe(0);
  });

  it('creates the key file once, mode 0600, and loads it again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'huitong-audit-key-'));
    try {
      const [a, b] = await Promise.all([
        loadOrCreateAuditKey(dir, 'h.local/audit'),
        loadOrCreateAuditKey(dir, 'h.local/audit'),
      ]);
      expect(a.vkey).toBe(b.vkey);
      expect((await stat(join(dir, KEY_FILE))).mode & 0o777).toBe(0o600);
      expect(await readFile(join(dir, KEY_FILE), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
      const again = await loadOrCreateAuditKey(dir, 'h.local/audit');
      expect(again.vkey).toBe(a.vkey);
      const note = signCheckpoint({ origin: 'h.local/audit', size: 0, root: Buffer.alloc(32) }, again.signer);
      expect(openCheckpoint(note, verifierFromVkey(a.vkey)).size).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
