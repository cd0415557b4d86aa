import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { type Parser, parse } from 'csv-parse';
import { sourceError } from '../errors.js';
import { streamDecoder } from './text-decoder.js';

/** How a CSV file is laid out. */
export interface CsvLayout {
  delimiter: string;
  header: boolean;
}

const CANDIDATES = [',', '\t', ';', '|'];

/** The delimiter of a CSV file's first line: the candidate that occurs most often outside quotes. */
export function guessDelimiter(firstLine: string): string {
  const bare = firstLine.replace(/"[^"]*"/g, '');
  const counts = CANDIDATES.map((c) => bare.split(c).length - 1);
  const best = Math.max(...counts);
  return best > 0 ? CANDIDATES[counts.indexOf(best)]! : ',';
}

function csvError(error: { code?: string; lines?: number; message?: string }): Error {
  const line = error.lines ?? null;
  if (error.code?.startsWith('CSV_RECORD_INCONSISTENT'))
    return sourceError(
      'malformed_file',
      `Row on line ${line} has a different number of fields than the header`,
      {
        line,
      },
    );
  return sourceError('malformed_file', `The CSV is malformed at line ${line}`, {
    line,
    reason: error.code ?? null,
  });
}

/**
 * Decodes a text file to UTF-8 (`dest`) in one streaming pass, refusing invalid bytes with the line
 * they are on. With `csv`, the text is also parsed as it passes (csv-parse, RFC 4180 quoting) so
 * that a ragged row or a broken quote is a 400 naming its line before DuckDB sees the file; the
 * delimiter is guessed from the first line when not given. Returns the layout used.
 */
export async function transcodeToUtf8(
  src: string,
  dest: string,
  encoding: string,
  csv?: { delimiter?: string; header: boolean },
): Promise<CsvLayout | undefined> {
  let line = 1;
  const decoder = streamDecoder(encoding, () => line);
  const out = createWriteStream(dest, { mode: 0o600 });
  let parser: Parser | undefined;
  let parsed: Promise<unknown> | undefined;
  let layout: CsvLayout | undefined;
  let failure: Error | undefined;

  const startParser = (delimiter: string) => {
    layout = { delimiter, header: csv!.header };
    const started = parse({ delimiter, relax_column_count: false, skip_empty_lines: true });
    parser = started;
    // The first error wins and is known at once: no more text may be written to a failed parser.
    started.on('error', (e) => {
      failure ??= csvError(e);
    });
    parsed = pipeline(started, new Writable({ objectMode: true, write: (_row, _e, done) => done() })).catch(
      (e) => {
        failure ??= csvError(e);
      },
    );
  };

  const push = async (text: string) => {
    if (text.length === 0) return;
    if (csv && !parser) startParser(csv.delimiter ?? guessDelimiter(text.split('\n', 1)[0] ?? ''));
    line += text.match(/\n/g)?.length ?? 0;
    if (!out.write(text)) await once(out, 'drain');
    if (parser && !failure && !parser.destroyed && !parser.write(text))
      await Promise.race([once(parser, 'drain').catch(() => undefined), parsed]);
    if (failure) throw failure;
  };

  try {
    for await (const bytes of createReadStream(src)) await push(decoder.write(bytes as Buffer));
    await push(decoder.end());
    parser?.end();
    await parsed;
    if (failure) throw failure;
    out.end();
    await finished(out);
    return layout;
  } catch (error) {
    // Abandoned streams may still report a pending write failing; that is expected now.
    out.on('error', () => undefined).destroy();
    parser?.on('error', () => undefined).destroy();
    throw error;
  }
}
