import type { Kysely } from 'kysely';
import { BadRequestError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import { canonicalBytes } from './canonical-json.js';
import { allCheckpoints } from './checkpoints.js';
import { asBuffer } from './hashes.js';
import { readHead } from './head.js';
import { readEntries } from './store-source.js';
import type { LogEntryRecord } from './verify-entry.js';
import { type LogCheckpointRecord, type VerifyReport, verifyLog } from './verify-log.js';

/** The first line of an export. */
export interface ExportHeader {
  kind: 'huitong.audit.export';
  version: 1;
  origin: string;
  vkey: string;
  treeSize: number;
}

/**
 * The log as NDJSON lines (each without its newline): a header with the origin and vkey, every
 * checkpoint up to the head, then every entry with its index and leaf hash, the entry's
 * canonical JSON embedded verbatim.
 */
export async function* exportLog(db: Kysely<Database>, origin: string, vkey: string): AsyncGenerator<string> {
  const head = await readHead(db);
  const treeSize = head.frontier.size;
  const header: ExportHeader = { kind: 'huitong.audit.export', version: 1, origin, vkey, treeSize };
  yield JSON.stringify(header);
  for (const c of await allCheckpoints(db, treeSize)) {
    yield JSON.stringify({ kind: 'checkpoint', id: c.id, treeSize: c.treeSize, note: c.note });
  }
  for await (const e of readEntries(db, 0, treeSize, { leaves: true })) {
    const leaf = e.leafHash ? asBuffer(e.leafHash).toString('base64') : null;
    const entry = asBuffer(e.entry).toString('utf8');
    yield `{"kind":"entry","index":${e.index},"leafHash":${JSON.stringify(leaf)},"entry":${entry}}`;
  }
}

type Line = { kind?: string; [key: string]: unknown };

function parseLine(text: string, number: number): Line {
  try {
    return JSON.parse(text) as Line;
  } catch {
    throw new BadRequestError('invalid_export', `line ${number} is not JSON`);
  }
}

async function* entryLines(
  lines: AsyncIterator<string> | Iterator<string>,
  first: Line | undefined,
  start: number,
): AsyncGenerator<LogEntryRecord> {
  let line = first;
  for (let number = start; line; number++) {
    if (line.kind !== 'entry')
      throw new BadRequestError('invalid_export', `line ${number}: expected an entry`);
    const { index, leafHash, entry } = line as { index: number; leafHash: string | null; entry: unknown };
    // The embedded entry is canonical JSON, so re-serialising it gives back the logged bytes.
    let bytes: Buffer;
    try {
      bytes = canonicalBytes(entry);
    } catch {
      bytes = Buffer.from(JSON.stringify(entry));
    }
    yield { index, entry: bytes, leafHash: leafHash ? Buffer.from(leafHash, 'base64') : null };
    let next: IteratorResult<string>;
    do next = await lines.next();
    while (!next.done && next.value.trim() === '');
    line = next.done ? undefined : parseLine(next.value, number + 1);
  }
}

/**
 * Verifies an export offline. Pass the vkey you trust (from the operator, out of band); without
 * it the export's own header is believed, which proves consistency but not authorship.
 */
export async function verifyExport(
  lines: AsyncIterable<string> | Iterable<string>,
  options: { vkey?: string } = {},
): Promise<VerifyReport> {
  const it = Symbol.asyncIterator in lines ? lines[Symbol.asyncIterator]() : lines[Symbol.iterator]();
  const read = async (n: number): Promise<Line | undefined> => {
    let next: IteratorResult<string>;
    do next = await it.next();
    while (!next.done && next.value.trim() === '');
    return next.done ? undefined : parseLine(next.value, n);
  };
  const header = (await read(1)) as Partial<ExportHeader> | undefined;
  if (
    header?.kind !== 'huitong.audit.export' ||
    typeof header.origin !== 'string' ||
    typeof header.vkey !== 'string'
  ) {
    throw new BadRequestError('invalid_export', 'line 1 is not an audit export header');
  }
  const checkpoints: LogCheckpointRecord[] = [];
  let number = 2;
  let line = await read(number);
  for (; line?.kind === 'checkpoint'; line = await read(++number)) {
    checkpoints.push({ id: Number(line.id), note: String(line.note), treeSize: Number(line.treeSize) });
  }
  return verifyLog({
    origin: header.origin,
    vkey: options.vkey ?? header.vkey,
    checkpoints,
    entries: entryLines(it, line, number),
    head: { treeSize: Number(header.treeSize) },
  });
}
