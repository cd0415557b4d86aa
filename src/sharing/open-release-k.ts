import { BadRequestError } from '../errors/index.js';
import { quasiKindOf } from '../privacy/index.js';
import type { AccessResource } from './access.js';
import { checkItemNames } from './item-filter.js';
import { json } from './presenters.js';
import type { GrantItem, KGate, OpenReleaseInput } from './schemas.js';

// The k-anonymity gate of an open release (开放数据 k 匿名): which released items are its
// quasi-identifiers (准标识符) and the k they must reach. query/ measures the rows; this file
// only checks and stores what the steward names. A release that sends out a personal item always
// has a gate: the one the steward named, else the proposal among its items with the platform's
// minimum k (issue 15: a steward opening personal items names its quasi-identifiers).

/** The least k of open data when the platform sets none (HUITONG_OPEN_DATA_MIN_K's default). */
export const DEFAULT_OPEN_DATA_MIN_K = 5;

/** The items whose name or type says quasi-identifier, with the kind that picks their hierarchy. */
export function proposedQuasiIdentifiers(resource: Pick<AccessResource, 'items'>) {
  return resource.items.flatMap((item) => {
    const kind = quasiKindOf(item);
    return kind ? [{ item: item.name, kind }] : [];
  });
}

/** The released items the catalog classes as personal (个人信息), by name. */
export function releasedPersonalItems(
  resource: Pick<AccessResource, 'items'>,
  items: readonly GrantItem[],
): string[] {
  const personal = new Set(resource.items.filter((i) => i.personal).map((i) => i.name));
  return items.filter((i) => personal.has(i.name)).map((i) => i.name);
}

/**
 * The gate a release of personal items gets when none was named: the proposed quasi-identifiers
 * it sends out, with k. None of them released: an empty list, the whole release one class.
 */
export function proposedKGate(
  resource: Pick<AccessResource, 'items'>,
  items: readonly GrantItem[],
  k: number,
) {
  const released = new Set(items.map((i) => i.name));
  const quasi = proposedQuasiIdentifiers(resource)
    .map((p) => p.item)
    .filter((item) => released.has(item));
  return { quasiIdentifiers: quasi, k };
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
  return { quasiIdentifiers: quasi, k: checkK(input.k, minK) };
}

function checkK(k: number | undefined, minK: number): number {
  if (k === undefined) return minK;
  if (k < minK)
    throw new BadRequestError('k_below_minimum', `k must be at least ${minK} for open data`, {
      field: 'k',
      minK,
    });
  return k;
}

/**
 * The gate a PUT of an open release stores. A release sending out a personal item must have one:
 * quasiIdentifiers omitted, the proposal among the released items is applied (`proposed`) with
 * the steward's k or the minimum; named as none (`[]`), it is refused with 400
 * `quasi_identifiers_required`. A release of no personal item may have no gate.
 */
export function requiredKGate(
  resource: AccessResource,
  items: readonly GrantItem[],
  input: Pick<OpenReleaseInput, 'quasiIdentifiers' | 'k'>,
  minK: number,
): { gate: KGate | null; proposed: boolean } {
  const personal = releasedPersonalItems(resource, items);
  if (personal.length > 0 && input.quasiIdentifiers === undefined)
    return { gate: proposedKGate(resource, items, checkK(input.k, minK)), proposed: true };
  const gate = checkKGate(resource, items, input, minK);
  if (!gate && personal.length > 0)
    throw new BadRequestError(
      'quasi_identifiers_required',
      `An open release of personal items needs quasi-identifiers: ${personal.join(', ')}`,
      { field: 'quasiIdentifiers', items: personal },
    );
  return { gate, proposed: false };
}

/**
 * The gate of a stored release, its quasi-identifiers narrowed to the items still released. A
 * release of personal items stored without one (before gates were required) gets the proposal
 * with the platform's minimum k (`proposed`): no release of personal items goes out ungated.
 */
export function storedKGate(
  resource: Pick<AccessResource, 'items'>,
  row: { quasi_identifiers: unknown; k: number | null },
  items: readonly GrantItem[],
  minK: number,
): { gate: KGate | null; proposed: boolean } {
  if (row.quasi_identifiers === null || row.k === null) {
    const personal = releasedPersonalItems(resource, items).length > 0;
    return personal
      ? { gate: proposedKGate(resource, items, minK), proposed: true }
      : { gate: null, proposed: false };
  }
  const released = new Set(items.map((i) => i.name));
  const quasi = json<string[]>(row.quasi_identifiers).filter((q) => released.has(q));
  // Every quasi-identifier since dropped from the release: the released rows no longer carry them,
  // and with none left the whole release is one class.
  return { gate: { quasiIdentifiers: quasi, k: row.k }, proposed: false };
}
