import { open } from 'node:fs/promises';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { sourceError } from '../errors.js';

/** Bytes in, text out, validating as it goes. */
export interface StreamDecoder {
  readonly encoding: string;
  /** Decodes the next bytes; throws `invalid_encoding` at the first invalid sequence. */
  write(bytes: Buffer): string;
  end(): string;
}

/** The encodings a declared `encoding` may name. */
export type DeclaredEncoding = 'auto' | 'utf-8' | 'gbk' | 'gb18030';

const invalid = (encoding: string, line: number) =>
  sourceError('invalid_encoding', `The file is not valid ${encoding} (line ${line})`, { encoding, line });

/** A decoder that refuses invalid bytes; `lineAt()` says where the caller has got to. */
export function streamDecoder(encoding: string, lineAt: () => number): StreamDecoder {
  if (encoding === 'utf-8') {
    // fatal: invalid UTF-8 is an error, not U+FFFD; the BOM is dropped.
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const run = (f: () => string, bytes?: Buffer) => {
      try {
        return f();
      } catch {
        // Name the line of the first bad byte: the newlines of this chunk before it, on top of the caller's count.
        const at = bytes ? firstInvalidUtf8(bytes) : 0;
        const before = bytes ? bytes.subarray(0, Math.max(at, 0)).filter((b) => b === 0x0a).length : 0;
        throw invalid(encoding, lineAt() + before);
      }
    };
    return {
      encoding,
      write: (bytes) => run(() => decoder.decode(bytes, { stream: true }), bytes),
      end: () => run(() => decoder.decode()),
    };
  }
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  // iconv-lite substitutes U+FFFD for bytes it cannot map: for a GB file that is the error signal.
  const check = (text: string) => {
    const at = text.indexOf('\uFFFD');
    if (at >= 0) throw invalid(encoding, lineAt() + (text.slice(0, at).match(/\n/g)?.length ?? 0));
    return text;
  };
  return { encoding, write: (bytes) => check(decoder.write(bytes)), end: () => check(decoder.end() ?? '') };
}

// A sample cut at an arbitrary byte may end inside a UTF-8 sequence: drop up to 3 trailing bytes.
function validUtf8(sample: Buffer): boolean {
  for (let cut = 0; cut <= Math.min(3, sample.length); cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, sample.length - cut));
      return true;
    } catch {
      // try a shorter sample
    }
  }
  return false;
}

/**
 * The encoding to read a file with: the declared one (GBK is read as its superset GB18030), or for
 * `auto`, UTF-8 when the first 64 KiB are valid UTF-8, else what chardet recognises among the
 * encodings iconv-lite can decode; anything else must be declared.
 */
export async function resolveEncoding(path: string, declared: DeclaredEncoding): Promise<string> {
  if (declared === 'utf-8') return 'utf-8';
  if (declared === 'gbk' || declared === 'gb18030') return 'gb18030';
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(65_536), 0, 65_536, 0);
    const sample = buffer.subarray(0, bytesRead);
    if (validUtf8(sample)) return 'utf-8';
    const guess = chardet.detect(sample);
    if (guess && /^(GB|GBK|GB18030|GB2312)/i.test(guess)) return 'gb18030';
    if (guess && iconv.encodingExists(guess)) return guess.toLowerCase();
    throw sourceError(
      'invalid_encoding',
      'The file’s encoding could not be detected; declare it with ?encoding=',
      {
        encoding: guess,
      },
    );
  } finally {
    await handle.close();
  }
}

/** The offset of the first byte that cannot start or continue a UTF-8 sequence (-1 when none). */
export function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return -1; // cut at the chunk's end: the next chunk decides
      if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return -1;
}
