import type { ResourceView } from '../catalog/index.js';
import { ConflictError } from '../errors/index.js';
import type { MaskSpec } from '../privacy/index.js';
import type { Access, ItemFilter } from '../sharing/index.js';
import type { Filter } from '../sources/index.js';
import type { Binding } from './bindings.js';
import type { ColumnType } from './row-stream.js';

/** One column of a secure view: an allowed item, the source column holding it, and its mask. */
export interface ViewColumn {
  /** The name consumers see: the item's field name, else the item's name. */
  name: string;
  item: string;
  source: string;
  /** The type delivered: the source's, or text once masked. */
  type: ColumnType;
  mask: MaskSpec;
}

/**
 * What one caller may read of one resource (the "enforce" step): the allowed items with their
 * masks, and the grant's row filter as conditions on the source's own columns.
 */
export interface SecureView {
  resource: ResourceView;
  access: Access;
  binding: Binding;
  columns: ViewColumn[];
  rowFilter: Filter[];
  /** Rows the day's quota still allows (null: no limit); a delivery never exceeds it. */
  rowsLeft?: number | null;
}

/** Whether a mask leaves the value as it is. */
export const isClear = (mask: MaskSpec) => mask.kind === 'none';

/** Maps a condition over item names onto the bound columns. */
export function toSourceFilter(filter: ItemFilter, sourceOf: (item: string) => string): Filter {
  const { item, ...rest } = filter;
  return { ...rest, column: sourceOf(item) } as Filter;
}

/** Builds the secure view of a resource for an access decision and a binding. */
export function secureView(resource: ResourceView, access: Access, binding: Binding): SecureView {
  const bound = new Map(binding.columns.map((c) => [c.item, c.column]));
  const types = new Map(binding.snapshot.map((c) => [c.name, c.type as ColumnType]));
  const sourceOf = (item: string) => {
    const column = bound.get(item);
    if (!column)
      throw new ConflictError(
        'item_not_bound',
        `The item ${item} is not bound to a source column; rebind the resource`,
      );
    return column;
  };
  const fieldOf = new Map(resource.items.map((i) => [i.name, i.field ?? i.name]));
  const columns = access.items.map(({ name, mask }) => {
    const source = sourceOf(name);
    return {
      name: fieldOf.get(name) ?? name,
      item: name,
      source,
      type: isClear(mask)
        ? (types.get(source) ?? 'string')
        : mask.kind === 'null'
          ? (types.get(source) ?? 'string')
          : 'string',
      mask,
    } satisfies ViewColumn;
  });
  return {
    resource,
    access,
    binding,
    columns,
    rowFilter: access.rowFilter.map((f) => toSourceFilter(f, sourceOf)),
  };
}
