import { sourceError } from '../errors.js';
import type { Filter } from '../plan.js';
import type { ColumnType, DescribedColumn } from '../types.js';

/** Binds one value and returns its placeholder. */
export type Bind = (value: unknown) => string;

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Checks a filter value against the column's type, so that a mistyped value is a clear 400
 * rather than a source-side cast error, and returns it in the form drivers bind correctly.
 */
export function checkValue(column: DescribedColumn, value: unknown): unknown {
  const bad = () =>
    sourceError('invalid_read_plan', `The value does not fit column ${column.name} (${column.type})`, {
      column: column.name,
    });
  const type: ColumnType = column.type;
  if (type === 'integer') {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    if (typeof value === 'string' && /^[+-]?\d{1,19}$/.test(value)) return value;
    throw bad();
  }
  if (type === 'number' || type === 'decimal') {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && NUMERIC.test(value)) return value;
    throw bad();
  }
  if (type === 'boolean') {
    if (typeof value === 'boolean') return value;
    throw bad();
  }
  if (type === 'date' || type === 'timestamp') {
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value;
    throw bad();
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  throw bad();
}

/** One filter as a SQL condition over a quoted column, its values bound through `bind`. */
export function filterSql(filter: Filter, column: DescribedColumn, quoted: string, bind: Bind): string {
  switch (filter.op) {
    case 'eq':
      return `${quoted} = ${bind(checkValue(column, filter.value))}`;
    case 'in':
      return `${quoted} IN (${filter.values.map((v) => bind(checkValue(column, v))).join(', ')})`;
    case 'range': {
      const parts: string[] = [];
      if (filter.min !== undefined) parts.push(`${quoted} >= ${bind(checkValue(column, filter.min))}`);
      if (filter.max !== undefined)
        parts.push(`${quoted} ${filter.maxInclusive ? '<=' : '<'} ${bind(checkValue(column, filter.max))}`);
      if (parts.length === 0)
        throw sourceError('invalid_read_plan', 'A range filter needs min or max', { column: column.name });
      return parts.join(' AND ');
    }
    case 'like':
      if (column.type !== 'string')
        throw sourceError('invalid_read_plan', `LIKE applies to text columns only, not ${column.name}`, {
          column: column.name,
        });
      return `${quoted} LIKE ${bind(filter.pattern)}`;
    case 'is_null':
      return `${quoted} IS ${filter.value ? '' : 'NOT '}NULL`;
  }
}
