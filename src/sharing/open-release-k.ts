import { BadRequestError } from '../errors/index.js';
import { quasiKindOf } from '../privacy/index.js';
import type { AccessResource } from './access.js';
import { checkItemNames } from './item-filter.js';
import { json } from './presenters.js';
import type { GrantItem, KGate, OpenReleaseInput } from './schemas.js';

// The k-anonymity gate of an open release (开放数据 k 匿名): which released items are its
// quasi-identifiers (准标识符) and the k they must reach. query/ measures the rows; this file
// only checks and stores what the steward names.

/** The items whose name or type says quasi-identifier, with the kind that picks their hierarchy. */
export function proposedQuasiIdentifiers(resource: Pick<AccessResource, 'items'>) {
  return resource.items.flatMap((item) => {
    const kind = quasiKindOf(item);
    return kind ? [{ item: item.name, kind }] : [];
  });
}

/**
 * The gate a steward's input asks for, checked: quasi-identifiers among the released items,
 * k at least the platform's minimum (the minimum when not given). Null without quasi-identifiers.
 */
export function checkKGate(
  resource: AccessResource,
  items: readonly GrantItem[],
  input: Pick<OpenReleaseInput, 'quasiIdentifiers' | 'k'>,
  minK: number,
): KGate | null {
  const quasi = [...new Set(input.quasiIdentifiers ?? [])];
  if (quasi.length === 0) {
    if (input.k !== undefined)
      throw new BadRequestError('quasi_identifier_not_released', 'k needs quasi-identifiers to count over', {
        field: 'quasiIdentifiers',
      });
    return null;
  }
  checkItemNames(
    quasi,
    resource.items.map((i) => i.name),
    'quasiIdentifiers',
  );
  const released = new Set(items.map((i) => i.name));
  const missing = quasi.filter((q) => !released.has(q));
  if (missing.length)
    throw new BadRequestError(
      'quasi_identifier_not_released',
      `Quasi-identifiers must be released items: ${missing.join(', ')}`,
      { field: 'quasiIdentifiers', items: missing },
    );
  const k = input.k ?? minK;
  if (k < minK)
    throw new BadRequestError('k_below_minimum', `k must be at least ${minK} for open data`, {
      field: 'k',
      minK,
    });
  return { quasiIdentifiers: quasi, k };
}

/** The stored gate, its quasi-identifiers narrowed to the items still released. */
export function storedKGate(
  row: { quasi_identifiers: unknown; k: number | null },
  items: readonly GrantItem[],
): KGate | null {
  if (row.quasi_identifiers === null || row.k === null) return null;
  const released = new Set(items.map((i) => i.name));
  const quasi = json<string[]>(row.quasi_identifiers).filter((q) => released.has(q));
  // Every quasi-identifier since dropped from the release: the released rows no longer carry them.
  return { quasiIdentifiers: quasi, k: row.k };
}
