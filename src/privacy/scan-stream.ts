import { type DetectOptions, detectPii } from './detect.js';
import { PrivacyError } from './errors.js';
import type { Finding } from './kinds.js';

const FLUSH_AT = 1 << 16;
// Longer than any finding (an address or an e-mail), so one that crosses a cut is seen whole later.
const MARGIN = 512;

/** An incremental scanner: feed chunks, get findings with offsets into the whole stream. */
export interface PiiStreamScanner {
  /** Adds a chunk (text, or UTF-8 bytes that may split a character); returns the findings now settled. */
  push(chunk: string | Uint8Array): Finding[];
  /** Ends the stream; returns the remaining findings. Throws PrivacyError `invalid_utf8` on bad bytes. */
  end(): Finding[];
}

function boundaryBefore(buf: string, at: number): number {
  for (let k = at; k > Math.max(0, at - MARGIN); k--) {
    const c = buf.charCodeAt(k - 1);
    if (
      c === 10 ||
      c === 32 ||
      c === 0x3002 ||
      c === 0xff0c ||
      (c < 0x80 && c !== 45 && !/[0-9A-Za-z]/.test(buf[k - 1]!))
    ) {
      return k;
    }
  }
  return (buf.charCodeAt(at) & 0xfc00) === 0xdc00 ? at - 1 : at;
}

/** Creates an incremental scanner over a text stream (UTF-16 offsets, as for `detectPii`). */
export function createPiiScanner(options: DetectOptions = {}): PiiStreamScanner {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let buf = '';
  let base = 0;
  let settled = 0; // absolute offset up to which findings have been reported
  let lastEnd = 0;
  let bytesSeen = 0;

  const take = (final: boolean): Finding[] => {
    const cut = final ? buf.length : buf.length - MARGIN;
    const out: Finding[] = [];
    for (const f of detectPii(buf, options)) {
      const start = f.start + base;
      const end = f.end + base;
      if (end <= settled || start < lastEnd || f.end > cut) continue;
      out.push({ ...f, start, end });
      lastEnd = end;
    }
    settled = base + cut;
    if (!final) {
      const keep = boundaryBefore(buf, Math.max(0, cut - MARGIN));
      buf = buf.slice(keep);
      base += keep;
    }
    return out;
  };

  const decode = (chunk: Uint8Array, stream: boolean): string => {
    try {
      const text = decoder.decode(chunk, { stream });
      bytesSeen += chunk.length;
      return text;
    } catch {
      throw new PrivacyError('invalid_utf8', 'invalid UTF-8 in the stream', { near: bytesSeen });
    }
  };

  return {
    push(chunk) {
      buf += typeof chunk === 'string' ? chunk : decode(chunk, true);
      return buf.length >= FLUSH_AT ? take(false) : [];
    },
    end() {
      buf += decode(new Uint8Array(0), false);
      return take(true);
    },
  };
}

/** Scans a stream of chunks (text or UTF-8 bytes), yielding findings as they settle. */
export async function* scanPiiStream(
  source: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
  options: DetectOptions = {},
): AsyncGenerator<Finding> {
  const scanner = createPiiScanner(options);
  for await (const chunk of source) yield* scanner.push(chunk);
  yield* scanner.end();
}
