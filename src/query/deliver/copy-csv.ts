const QUOTE = 0x22;
const LF = 0x0a;

/**
 * PostgreSQL's COPY CSV as the platform's own CSV (deliver/csv.ts): the same quoting, but rows
 * end in LF where ours end in CRLF. Each LF outside a quoted field becomes CRLF and counts a row;
 * one inside a quoted value stays as it is. Bytes are scanned, not decoded: in UTF-8 no byte of
 * a multi-byte character is a quote or LF. `rows` counts what has passed, for the release's
 * completion entry and the quota, also when the reader stops early.
 */
export function crlfRows(chunks: AsyncIterable<Buffer>): {
  body: AsyncGenerator<Buffer>;
  rows: () => number;
} {
  let rows = 0;
  let quoted = false;
  const body = async function* () {
    const ends: number[] = [];
    for await (const chunk of chunks) {
      ends.length = 0;
      let i = 0;
      let quote = quoted ? -1 : chunk.indexOf(QUOTE);
      for (;;) {
        if (quoted) {
          const close = chunk.indexOf(QUOTE, i);
          if (close < 0) break;
          quoted = false;
          i = close + 1;
          quote = chunk.indexOf(QUOTE, i);
          continue;
        }
        const lf = chunk.indexOf(LF, i);
        if (quote >= 0 && (lf < 0 || quote < lf)) {
          // A doubled quote inside a value toggles twice: it opens and closes at once.
          quoted = true;
          i = quote + 1;
          continue;
        }
        if (lf < 0) break;
        ends.push(lf);
        i = lf + 1;
      }
      rows += ends.length;
      if (ends.length === 0) {
        yield chunk;
        continue;
      }
      const out = Buffer.allocUnsafe(chunk.length + ends.length);
      let from = 0;
      let to = 0;
      for (const end of ends) {
        to += chunk.copy(out, to, from, end);
        out[to++] = 0x0d;
        out[to++] = LF;
        from = end + 1;
      }
      chunk.copy(out, to, from);
      yield out;
    }
  };
  return { body: body(), rows: () => rows };
}
