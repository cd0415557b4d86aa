// node-postgres's own value preparation (exported as `pg/lib/*`, untyped by @types/pg): the text
// the driver sends for a bound parameter, used to render a COPY literal as the parameter reads.
declare module 'pg/lib/utils.js' {
  /** The parameter text of a value: an array becomes PostgreSQL's array input (`{"a","b"}`). */
  export function prepareValue(value: unknown): unknown;
}
