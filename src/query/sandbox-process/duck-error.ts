// What of a DuckDB error may leave the sandbox's child. DuckDB's run-time messages quote the
// values they failed on — `error(x)` is x itself, a failed cast names the string, JSON, date,
// regex and time-zone parsing quote their input — so once a table holds data, a message is data.
// Only the error's class crosses to the parent, and the text only of the classes that DuckDB
// raises while binding the statement, before it reads a row (names of tables, columns,
// functions and types, all from the consumer's own SQL or the granted columns).

/** The class of a sandbox failure: stable names the API reports as `details.class`. */
export type FailureClass =
  | 'syntax'
  | 'binder'
  | 'catalog'
  | 'conversion'
  | 'invalid_input'
  | 'out_of_range'
  | 'not_implemented'
  | 'type_mismatch'
  | 'division_by_zero'
  | 'constraint'
  | 'permission'
  | 'interrupt'
  | 'out_of_memory'
  | 'sandbox_exited'
  | 'other';

/** A failure as the child reports it: its class, and its text where the class has no data in it. */
export interface SandboxFailure {
  class: FailureClass;
  /** The first line of DuckDB's message, only for binder and catalog errors. */
  text?: string;
  /** Where in the consumer's SQL a binder or catalog error points (DuckDB's `LINE n:` and caret). */
  line?: number;
  column?: number;
}

// DuckDB's exception types (the "<Type> Error: " prefix of its messages) by our class. A type not
// listed is 'other'; the prefix itself is never reported, only the class from this table.
const CLASSES: Record<string, FailureClass> = {
  Parser: 'syntax',
  Syntax: 'syntax',
  Binder: 'binder',
  Catalog: 'catalog',
  Conversion: 'conversion',
  'Invalid Input': 'invalid_input',
  Invalid: 'invalid_input',
  'Out of Range': 'out_of_range',
  Decimal: 'out_of_range',
  'Not implemented': 'not_implemented',
  'Mismatch Type': 'type_mismatch',
  'Invalid type': 'type_mismatch',
  'Divide by Zero': 'division_by_zero',
  Constraint: 'constraint',
  Permission: 'permission',
  INTERRUPT: 'interrupt',
  'Out of Memory': 'out_of_memory',
};

/** Classes raised at bind time, whose text names only the SQL's own tables, columns, functions and types. */
const TEXT_KEPT = new Set<FailureClass>(['binder', 'catalog']);

/** The class of a DuckDB error message and, for binder and catalog errors, its first line. */
export function sandboxFailureOf(error: unknown): SandboxFailure {
  const message = error instanceof Error ? error.message : '';
  const match = /^([A-Za-z ]+?) Error: (.*)/.exec(message);
  const kind = (match && Object.hasOwn(CLASSES, match[1]!) && CLASSES[match[1]!]) || 'other';
  if (!TEXT_KEPT.has(kind)) return { class: kind };
  const candidates = /^Candidate bindings: .*$/m.exec(message)?.[0];
  const first = match![2]!.split('\n')[0]!;
  return {
    class: kind,
    text: (candidates ? `${first} ${candidates}` : first).slice(0, 500),
    ...errorLine(message),
  };
}

/**
 * Where DuckDB says the error is: its `LINE n: <text>` and the caret under it. The column is
 * given only when the line is shown from its start (DuckDB elides long lines with "...").
 */
export function errorLine(message: string): { line: number; column?: number } | Record<string, never> {
  const match = /^(LINE (\d+): )(.*)\n( *)\^/m.exec(message);
  if (!match) return {};
  const line = Number(match[2]);
  const column = match[4]!.length - match[1]!.length + 1;
  return match[3]!.startsWith('...') || column < 1 ? { line } : { line, column };
}

/** A failure the child reported, as the parent rejects with it. */
export class SandboxFailureError extends Error {
  constructor(readonly failure: SandboxFailure) {
    super(`sandbox failure (${failure.class})`);
  }
}
