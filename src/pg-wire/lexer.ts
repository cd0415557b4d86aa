// A lexer for the SQL a client sends, enough to find statement boundaries, names and `$n`
// parameters outside strings and comments. It parses nothing: the query pipeline's own guard
// (DuckDB's parser) decides what a query reads; this only renames tables and fills parameters.

/** A token of SQL text. */
export interface Token {
  kind: 'word' | 'quoted' | 'string' | 'param' | 'punct' | 'space' | 'other';
  text: string;
  /** Words lower-cased, quoted identifiers unquoted. */
  value: string;
}

const WORD = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y;

/** Splits SQL into tokens (comments count as space). */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: Token['kind'], end: number, value?: string) => {
    const text = sql.slice(i, end);
    tokens.push({ kind, text, value: value ?? text });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      let j = i;
      while (j < sql.length && /\s/.test(sql[j]!)) j++;
      push('space', j);
    } else if (c === '-' && next === '-') {
      const j = sql.indexOf('\n', i);
      push('space', j < 0 ? sql.length : j);
    } else if (c === '/' && next === '*') {
      const j = sql.indexOf('*/', i + 2);
      push('space', j < 0 ? sql.length : j + 2);
    } else if (c === "'" || ((c === 'E' || c === 'e') && next === "'")) {
      let j = c === "'" ? i + 1 : i + 2;
      const escapes = c !== "'";
      while (j < sql.length) {
        if (escapes && sql[j] === '\\') j += 2;
        else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j++;
      }
      push('string', Math.min(j + 1, sql.length));
    } else if (c === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === '"' && sql[j + 1] !== '"')) j += sql[j] === '"' ? 2 : 1;
      const end = Math.min(j + 1, sql.length);
      push('quoted', end, sql.slice(i + 1, end - 1).replace(/""/g, '"'));
    } else if (c === '$' && /\d/.test(next ?? '')) {
      let j = i + 1;
      while (/\d/.test(sql[j] ?? '')) j++;
      push('param', j);
    } else if (c === '$') {
      const tag = /\$[A-Za-z_]*\$/y;
      tag.lastIndex = i;
      const m = tag.exec(sql);
      if (m) {
        const j = sql.indexOf(m[0], i + m[0].length);
        push('string', j < 0 ? sql.length : j + m[0].length);
      } else push('other', i + 1);
    } else {
      WORD.lastIndex = i;
      const m = WORD.exec(sql);
      if (m) push('word', i + m[0].length, m[0].toLowerCase());
      else push(/[(),;.]/.test(c) ? 'punct' : 'other', i + 1);
    }
  }
  return tokens;
}

/** The statements of a simple query, split at semicolons outside strings (empty ones dropped). */
export function splitStatements(sql: string): Token[][] {
  const statements: Token[][] = [[]];
  for (const t of tokenize(sql)) {
    if (t.kind === 'punct' && t.text === ';') statements.push([]);
    else statements.at(-1)!.push(t);
  }
  return statements.filter((s) => s.some((t) => t.kind !== 'space'));
}

/** The meaningful tokens (no space). */
export const solid = (tokens: Token[]) => tokens.filter((t) => t.kind !== 'space');

/** The text of tokens. */
export const textOf = (tokens: Token[]) => tokens.map((t) => t.text).join('');

/** The highest `$n` in a statement. */
export const parameterCount = (tokens: Token[]) =>
  Math.max(0, ...tokens.filter((t) => t.kind === 'param').map((t) => Number(t.text.slice(1))));

/** Replaces `$n` with the literal of its value (null as NULL). */
export function fillParameters(tokens: Token[], values: (string | null)[]): Token[] {
  return tokens.map((t) => {
    if (t.kind !== 'param') return t;
    const v = values[Number(t.text.slice(1)) - 1];
    const text = v === undefined || v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`;
    return { kind: 'string', text, value: text };
  });
}
