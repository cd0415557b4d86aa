import { isClear, type ViewColumn } from '../secure-view.js';
import type { ComparisonOp, Literal, PushedPredicate } from './predicate.js';
import { literalOf, type Node, type Resolved, resolveColumn, type Scope } from './scope.js';

const MAX_LIST = 1000;

/** A conjunct the source can run, on one table of the scope. */
export interface Conjunct {
  table: string;
  predicates: PushedPredicate[];
}

const COMPARISONS: Record<string, [ComparisonOp, ComparisonOp]> = {
  // As written (column on the left), and turned round (column on the right).
  COMPARE_EQUAL: ['=', '='],
  COMPARE_NOTEQUAL: ['<>', '<>'],
  COMPARE_LESSTHAN: ['<', '>'],
  COMPARE_GREATERTHAN: ['>', '<'],
  COMPARE_LESSTHANOREQUALTO: ['<=', '>='],
  COMPARE_GREATERTHANOREQUALTO: ['>=', '<='],
};

/** The conjuncts of an expression: the children of its top-level ANDs. */
export function conjunctsOf(expression: unknown): Node[] {
  if (expression === null || typeof expression !== 'object') return [];
  const node = expression as Node;
  if (node.type === 'CONJUNCTION_AND' && Array.isArray(node.children))
    return node.children.flatMap((c) => conjunctsOf(c));
  return [node];
}

/**
 * Whether a literal is compared as the sandbox would compare it: integers with integer columns
 * (no cast, no rounding), strings with text columns — clear, or masked into text. Ordering of
 * text is left out: the sandbox orders bytes, a source orders by its collation.
 */
function comparable(column: ViewColumn, literal: Literal, op: ComparisonOp | 'in' | 'not_in'): boolean {
  if (literal.kind === 'integer') return isClear(column.mask) && column.type === 'integer';
  if (column.type !== 'string' || column.mask.kind === 'null') return false;
  return op === '=' || op === '<>' || op === 'in' || op === 'not_in';
}

function comparison(scope: Scope, node: Node): Conjunct | null {
  const ops = COMPARISONS[String(node.type)];
  if (!ops) return null;
  const left = resolveColumn(scope, node.left);
  const right = resolveColumn(scope, node.right);
  const [resolved, literal, op] = left
    ? [left, literalOf(node.right), ops[0]]
    : [right, literalOf(node.left), ops[1]];
  if (!resolved || !literal || !comparable(resolved.column, literal, op)) return null;
  return { table: resolved.table, predicates: [{ column: resolved.column.name, op, value: literal }] };
}

function list(scope: Scope, node: Node, op: 'in' | 'not_in'): Conjunct | null {
  const [first, ...rest] = (node.children as unknown[] | undefined) ?? [];
  const resolved = resolveColumn(scope, first);
  const values = rest.map(literalOf);
  // Each value is a bound parameter, and sources take at most 65,535 of them in one statement.
  if (!resolved || values.length === 0 || values.length > MAX_LIST) return null;
  if (!values.every((v): v is Literal => v !== null && comparable(resolved.column, v, op))) return null;
  return { table: resolved.table, predicates: [{ column: resolved.column.name, op, values }] };
}

function between(scope: Scope, node: Node): Conjunct | null {
  const resolved = resolveColumn(scope, node.input);
  const lower = literalOf(node.lower);
  const upper = literalOf(node.upper);
  if (!resolved || !lower || !upper) return null;
  if (!comparable(resolved.column, lower, '>=') || !comparable(resolved.column, upper, '<=')) return null;
  const column = resolved.column.name;
  return {
    table: resolved.table,
    predicates: [
      { column, op: '>=', value: lower },
      { column, op: '<=', value: upper },
    ],
  };
}

function like(scope: Scope, node: Node): Conjunct | null {
  const [input, pattern, ...more] = (node.children as unknown[] | undefined) ?? [];
  const resolved: Resolved | null = resolveColumn(scope, input);
  const literal = literalOf(pattern);
  if (more.length || !resolved || literal?.kind !== 'text') return null;
  const { column } = resolved;
  if (column.type !== 'string' || column.mask.kind === 'null') return null;
  // The sandbox's LIKE has no escape character; PostgreSQL's and MySQL's have the backslash.
  if (literal.value.includes('\\')) return null;
  return { table: resolved.table, predicates: [{ column: column.name, op: 'like', pattern: literal.value }] };
}

function nullTest(scope: Scope, node: Node, op: 'is_null' | 'is_not_null'): Conjunct | null {
  const children = (node.children as unknown[] | undefined) ?? [];
  const resolved = children.length === 1 ? resolveColumn(scope, children[0]) : null;
  return resolved ? { table: resolved.table, predicates: [{ column: resolved.column.name, op }] } : null;
}

/** One conjunct as predicates on one table's column, or null when it is not certain to mean the same there. */
export function pushableConjunct(scope: Scope, node: Node): Conjunct | null {
  switch (node.type) {
    case 'COMPARE_IN':
      return list(scope, node, 'in');
    case 'COMPARE_NOT_IN':
      return list(scope, node, 'not_in');
    case 'COMPARE_BETWEEN':
      return between(scope, node);
    case 'OPERATOR_IS_NULL':
      return nullTest(scope, node, 'is_null');
    case 'OPERATOR_IS_NOT_NULL':
      return nullTest(scope, node, 'is_not_null');
    case 'FUNCTION':
      return node.function_name === '~~' && node.is_operator === true ? like(scope, node) : null;
    default:
      return node.class === 'COMPARISON' ? comparison(scope, node) : null;
  }
}
