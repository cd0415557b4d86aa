/** A literal the consumer wrote that the source may compare against as it is: exact in JS and in SQL. */
export type Literal = { kind: 'integer'; value: number } | { kind: 'text'; value: string };

/** A comparison operator pushed as written (after turning `5 < x` round into `x > 5`). */
export type ComparisonOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

/**
 * One conjunct of the consumer's WHERE (or of an inner join's ON) over one view column, by the
 * name the consumer sees: the source is asked for it as a condition on that column's delivered
 * (masked) expression, so that it compares against exactly the value the sandbox would.
 */
export type PushedPredicate =
  | { column: string; op: ComparisonOp; value: Literal }
  | { column: string; op: 'in' | 'not_in'; values: Literal[] }
  | { column: string; op: 'like'; pattern: string }
  | { column: string; op: 'is_null' | 'is_not_null' };

/**
 * An equi-join conjunct of the consumer's SQL between this view's `column` and `otherColumn` of
 * the view `table` (inner joins only, both delivered as the same type and compared alike): once
 * that view is loaded, this one's read may keep only the rows whose value is among its keys.
 */
export interface JoinEdge {
  column: string;
  table: string;
  otherColumn: string;
}

/** What the consumer's SQL lets one view's read leave out: rows, and past a limit in an order. */
export interface ViewPushdown {
  predicates: PushedPredicate[];
  /** Equi-joins with other views of the query (absent when none): dynamic filtering (join-keys.ts). */
  joins?: JoinEdge[];
  /** The order the limit applies in (clear integer columns only); empty: any rows. */
  sort?: Array<{ column: string; direction: 'asc' | 'desc' }>;
  /** Rows enough for the answer: the query's LIMIT plus its OFFSET. */
  limit?: number;
}
