import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/index.js';
import { type AuthenticatedActor, type ScramCandidate, wireActor } from '../identity/index.js';
import {
  type Caller,
  type ColumnType,
  deliverSqlEncoded,
  type QueryContext,
  type RowStream,
  readableTables,
} from '../query/index.js';
import type { Store } from '../store/index.js';
import { refused, type WireError, wireError } from './errors.js';
import { fillParameters, parameterCount, solid, splitStatements, type Token, tokenize } from './lexer.js';
import { MetadataEngine } from './metadata.js';
import {
  forbiddenCatalogFunction,
  namesGrantedTable,
  readsCatalog,
  readsNoTable,
  toPipelineSql,
  type WireTable,
  wireTables,
} from './names.js';
import { parameterTexts } from './parameters.js';
import * as msg from './protocol.js';
import { SETTINGS, settingValue } from './settings.js';
import { copyLine, dataRows, fieldsOf, pgText } from './types.js';

/** What a session needs of the platform. */
export interface SessionContext {
  query: QueryContext;
  store: Store;
  audit: AuditLog;
}

/** Raised to end the connection after its error is sent (a revoked key, a terminate). */
export class CloseConnection extends Error {}

interface Statement {
  tokens: Token[];
  types: number[];
}

interface Portal {
  tokens: Token[];
  /** Started on Describe or the first Execute. */
  result?: Result;
  sent: number;
}

// A running answer: its columns, and a pull of the next chunk of encoded DataRows.
interface Result {
  fields: msg.WireField[] | null;
  tag: string;
  rows: AsyncIterator<Buffer>;
  done: boolean;
}

const rowBody = (types: ColumnType[]) =>
  async function* (stream: RowStream) {
    for await (const batch of stream.batches) for (const row of batch) yield dataRows([row], types);
  };

const batchBody = (types: ColumnType[]) =>
  async function* (stream: RowStream) {
    for await (const batch of stream.batches) yield dataRows(batch, types);
  };

function once(buffers: Buffer[]): AsyncIterator<Buffer> {
  return (async function* () {
    yield* buffers;
  })();
}

/**
 * One authenticated connection: its simple and extended query protocol. Every statement that
 * names a resource goes through query/ (plan → enforce → execute → deliver, its release
 * entries); catalog queries are answered from the connection's metadata engine; writes, DDL,
 * settings that matter and real transactions are refused.
 */
export class Session {
  private statements = new Map<string, Statement>();
  private portals = new Map<string, Portal>();
  private inTransaction = false;
  private failedExtended = false;
  private metadata?: { engine: MetadataEngine; tables: WireTable[]; at: number };
  private cancelled = false;
  private running?: AsyncIterator<Buffer>;

  constructor(
    private readonly ctx: SessionContext,
    private readonly credential: { subject: ScramCandidate['subject']; subjectId: string },
    private readonly ip: string,
  ) {}

  /** Asks the current query to stop (a cancel request naming this session). */
  cancel(): void {
    this.cancelled = true;
    void this.running?.return?.();
  }

  /** Frees the session's engine. */
  close(): void {
    this.metadata?.engine.close();
    this.metadata = undefined;
  }

  // The actor checked now: a key revoked since the last query ends the connection.
  private async caller(): Promise<Caller> {
    let actor: AuthenticatedActor;
    try {
      actor = await wireActor(this.ctx.store.db, this.credential.subject, this.credential.subjectId);
    } catch (error) {
      throw new CloseConnection(JSON.stringify({ ...wireError(error), severity: 'FATAL' }));
    }
    return { actor, ip: this.ip, requestId: randomUUID(), readOnly: true };
  }

  private async catalog(caller: Caller) {
    if (this.metadata && Date.now() - this.metadata.at < 2000) return this.metadata;
    const tables = wireTables(await readableTables(this.ctx.query, caller));
    this.metadata?.engine.close();
    this.metadata = { engine: await MetadataEngine.open(tables), tables, at: Date.now() };
    return this.metadata;
  }

  /** Handles one frontend message of the query phase; yields the backend messages. */
  async *handle(type: string, body: Buffer): AsyncGenerator<Buffer> {
    const r = new msg.Reader(body);
    if (type === 'Q') {
      this.failedExtended = false;
      yield* this.simpleQuery(r.cstring());
      yield msg.readyForQuery(this.inTransaction ? 'T' : 'I');
      return;
    }
    if (type === 'S') {
      this.failedExtended = false;
      yield msg.readyForQuery(this.inTransaction ? 'T' : 'I');
      return;
    }
    if (type === 'H') return;
    if (this.failedExtended) return;
    try {
      yield* this.extended(type, r);
    } catch (error) {
      if (error instanceof CloseConnection) throw error;
      this.failedExtended = true;
      yield msg.errorResponse(isWire(error) ? error : wireError(error));
    }
  }

  private async *extended(type: string, r: msg.Reader): AsyncGenerator<Buffer> {
    switch (type) {
      case 'P': {
        const { name, sql, types } = msg.readParse(r);
        const statements = splitStatements(sql);
        if (statements.length > 1)
          throw refused('42601', 'cannot insert multiple commands into a prepared statement');
        this.statements.set(name, { tokens: statements[0] ?? [], types });
        yield msg.parseComplete();
        return;
      }
      case 'B': {
        const bind = msg.readBind(r);
        const statement = this.statements.get(bind.statement);
        if (!statement) throw refused('26000', `prepared statement "${bind.statement}" does not exist`);
        const values = parameterTexts(bind.values, bind.formats, statement.types);
        this.portals.set(bind.portal, { tokens: fillParameters(statement.tokens, values), sent: 0 });
        yield msg.bindComplete();
        return;
      }
      case 'D': {
        const { kind, name } = msg.readTarget(r);
        if (kind === 'S') {
          const statement = this.statements.get(name);
          if (!statement) throw refused('26000', `prepared statement "${name}" does not exist`);
          const n = parameterCount(statement.tokens);
          yield msg.parameterDescription(Array.from({ length: n }, (_, i) => statement.types[i] || 25));
          // The columns are known once the query runs (on Bind and Execute).
          yield msg.noData();
          return;
        }
        const portal = this.portals.get(name);
        if (!portal) throw refused('34000', `portal "${name}" does not exist`);
        portal.result ??= await this.start(portal.tokens, true);
        yield portal.result.fields ? msg.rowDescription(portal.result.fields) : msg.noData();
        return;
      }
      case 'E': {
        const { portal: name, maxRows } = msg.readExecute(r);
        const portal = this.portals.get(name);
        if (!portal) throw refused('34000', `portal "${name}" does not exist`);
        portal.result ??= await this.start(portal.tokens, true);
        yield* this.drain(portal, maxRows);
        return;
      }
      case 'C': {
        const { kind, name } = msg.readTarget(r);
        if (kind === 'S') this.statements.delete(name);
        else {
          await this.portals.get(name)?.result?.rows.return?.();
          this.portals.delete(name);
        }
        yield msg.closeComplete();
        return;
      }
      default:
        throw refused('08P01', `unsupported message ${type}`);
    }
  }

  // Sends up to maxRows (0: all) of a portal; PortalSuspended when rows are left.
  private async *drain(portal: Portal, maxRows: number): AsyncGenerator<Buffer> {
    const result = portal.result!;
    const chunk: Buffer[] = [];
    let size = 0;
    let count = 0;
    this.running = result.rows;
    this.cancelled = false;
    while (!result.done && (maxRows === 0 || count < maxRows)) {
      const next = await result.rows.next();
      if (this.cancelled) throw refused('57014', 'canceling statement due to user request');
      if (next.done) {
        result.done = true;
        break;
      }
      chunk.push(next.value);
      size += next.value.length;
      count++;
      if (size > 65536) {
        yield Buffer.concat(chunk);
        chunk.length = 0;
        size = 0;
      }
    }
    if (chunk.length) yield Buffer.concat(chunk);
    portal.sent += count;
    if (!result.done) {
      yield msg.portalSuspended();
      return;
    }
    yield msg.commandComplete(result.tag.replace('{n}', String(portal.sent)));
  }

  private async *simpleQuery(sql: string): AsyncGenerator<Buffer> {
    const statements = splitStatements(sql);
    if (statements.length === 0) {
      yield msg.emptyQuery();
      return;
    }
    for (const tokens of statements) {
      try {
        const copy = copyQuery(tokens);
        if (copy) {
          yield* this.copyOut(copy.select, copy.csv, copy.header);
          continue;
        }
        const result = await this.start(tokens, false);
        if (result.fields) yield msg.rowDescription(result.fields);
        const portal: Portal = { tokens, result, sent: 0 };
        yield* this.drain(portal, 0);
      } catch (error) {
        if (error instanceof CloseConnection) throw error;
        yield msg.errorResponse(isWire(error) ? error : wireError(error));
        return;
      }
    }
  }

  // COPY (SELECT …) TO STDOUT: the rows as one export (the grant must allow exports).
  private async *copyOut(select: Token[], csv: boolean, header: boolean): AsyncGenerator<Buffer> {
    const caller = await this.caller();
    const { tables } = await this.catalog(caller);
    const { sql, aliases } = toPipelineSql(select, tables);
    let types: ColumnType[] = [];
    let count = 0;
    const answer = await deliverSqlEncoded(
      this.ctx.query,
      caller,
      { sql, aliases, use: 'csv', label: 'pgwire-copy' },
      async function* (stream) {
        types = stream.columns.map((c) => c.type);
        if (header)
          yield msg.copyData(Buffer.from(`${stream.columns.map((c) => c.name).join(csv ? ',' : '\t')}\n`));
        // A batch's lines in one CopyData message: the protocol lets message and row boundaries
        // differ (PostgreSQL's own clients reassemble the stream), and one message per row cost
        // half the time of a large COPY.
        for await (const batch of stream.batches) {
          count += batch.length;
          let text = '';
          for (const row of batch) {
            text += copyLine(row, types, csv);
            if (text.length > 1 << 20) {
              yield msg.copyData(Buffer.from(text));
              text = '';
            }
          }
          if (text) yield msg.copyData(Buffer.from(text));
        }
      },
    );
    yield msg.copyOutResponse(answer.columns.length);
    this.running = answer.body;
    this.cancelled = false;
    for await (const chunk of answer.body) {
      if (this.cancelled) throw refused('57014', 'canceling statement due to user request');
      yield chunk;
    }
    yield msg.copyDone();
    yield msg.commandComplete(`COPY ${count}`);
  }

  // Starts a statement: a command the wire answers itself, a catalog query, or a read of resources.
  private async start(tokens: Token[], perRow: boolean): Promise<Result> {
    const words = solid(tokens);
    const first = words[0]?.value ?? '';
    const own = this.command(first, words);
    if (own) return own;
    if (!['select', 'with', 'values', 'table'].includes(first))
      throw refused(
        '25006',
        `${first.toUpperCase()} is not allowed: Huitong is read-only over this connection`,
      );
    const caller = await this.caller();
    const { engine, tables } = await this.catalog(caller);
    if (readsCatalog(words) || readsNoTable(words)) {
      // The catalog engine holds no rows: a resource read there would answer empty, silently.
      if (namesGrantedTable(tokens, tables))
        throw refused(
          '0A000',
          'a statement reads the catalog or granted tables, not both: query them separately',
        );
      const forbidden = forbiddenCatalogFunction(tokens);
      if (forbidden) throw refused('42883', `function ${forbidden}() is not available over this connection`);
      const answer = await engine.answer(tokens).catch((error: unknown) => {
        if (/interrupt/i.test(firstLine(error)))
          throw refused('57014', 'canceling statement due to statement timeout');
        throw refused('42601', `catalog query failed: ${firstLine(error)}`);
      });
      const types = answer.columns.map((c) => c.type);
      return {
        fields: fieldsOf(answer.columns),
        tag: 'SELECT {n}',
        rows: once(answer.rows.map((row) => msg.dataRow(row.map((v, i) => pgText(v, types[i]!))))),
        done: false,
      };
    }
    const { sql, aliases } = toPipelineSql(tokens, tables);
    let types: ColumnType[] = [];
    const encoder = (stream: RowStream) => {
      types = stream.columns.map((c) => c.type);
      return (perRow ? rowBody : batchBody)(types)(stream);
    };
    const answer = await deliverSqlEncoded(
      this.ctx.query,
      caller,
      { sql, aliases, use: 'json', label: 'pgwire' },
      encoder,
    );
    return { fields: fieldsOf(answer.columns), tag: 'SELECT {n}', rows: answer.body, done: false };
  }

  // The commands the wire answers itself; undefined for a query.
  private command(first: string, words: Token[]): Result | undefined {
    const done = (tag: string): Result => ({ fields: null, tag, rows: once([]), done: true });
    switch (first) {
      case 'begin':
      case 'start':
        this.inTransaction = true;
        return done('BEGIN');
      case 'commit':
      case 'end':
        this.inTransaction = false;
        return done('COMMIT');
      case 'rollback':
      case 'abort':
        this.inTransaction = false;
        return done('ROLLBACK');
      case 'discard':
        return done('DISCARD ALL');
      case 'deallocate':
        return done('DEALLOCATE');
      case 'set': {
        const rest = words.slice(1).filter((t) => !['session', 'local'].includes(t.value));
        const name = rest[0]?.value ?? '';
        if (name === 'transaction' || name === 'session characteristics') return done('SET');
        if (!(name in SETTINGS) || name.startsWith('server_'))
          throw refused('42501', `SET ${name} is not allowed over this connection`);
        return done('SET');
      }
      case 'show': {
        const name = words
          .slice(1)
          .map((t) => t.value)
          .join('');
        if (!(name in SETTINGS)) throw refused('42704', `unrecognized configuration parameter "${name}"`);
        return {
          fields: [{ name, oid: 25, size: -1 }],
          tag: 'SHOW',
          rows: once([msg.dataRow([settingValue(name)])]),
          done: false,
        };
      }
      default:
        return undefined;
    }
  }
}

const isWire = (e: unknown): e is WireError =>
  typeof e === 'object' && e !== null && 'code' in e && 'message' in e && !(e instanceof Error);

const firstLine = (error: unknown) =>
  String(error instanceof Error ? error.message : error)
    .split('\n')[0]!
    .slice(0, 200);

// COPY ( SELECT … ) TO STDOUT [WITH] [(FORMAT csv, HEADER …)]
function copyQuery(tokens: Token[]): { select: Token[]; csv: boolean; header: boolean } | undefined {
  const words = solid(tokens);
  if (words[0]?.value !== 'copy') return undefined;
  if (words[1]?.text !== '(')
    throw refused('0A000', 'only COPY (SELECT …) TO STDOUT is supported over this connection');
  let depth = 0;
  let end = -1;
  for (let i = 1; i < words.length; i++) {
    if (words[i]!.text === '(') depth++;
    if (words[i]!.text === ')' && --depth === 0) {
      end = i;
      break;
    }
  }
  const tail = words.slice(end + 1).map((t) => t.value);
  if (end < 0 || tail[0] !== 'to' || tail[1] !== 'stdout')
    throw refused('0A000', 'only COPY (SELECT …) TO STDOUT is supported over this connection');
  const start = tokens.indexOf(words[1]!);
  const stop = tokens.indexOf(words[end]!);
  const options = tail.slice(2).join(' ');
  return {
    select: tokens.slice(start + 1, stop),
    csv: /\bcsv\b/.test(options),
    header: /\bheader\b(?!\s*(false|off|0))/.test(options),
  };
}

export { tokenize };
