import type { ResourceView } from '../catalog/index.js';
import { BadRequestError, type ErrorCode } from '../errors/index.js';
import { cidrWithin } from './ip-allow.js';
import { checkItemNames, checkRowFilter, type ItemFilter } from './item-filter.js';
import { defaultMask } from './masks.js';
import { parseBody } from './parse.js';
import { json } from './presenters.js';
import { DEFAULT_PRIVACY_BUDGET, privacyTerms } from './privacy-terms.js';
import type { RequestRow } from './request-rows.js';
import {
  type ApprovalTermsInput,
  ApprovalTermsSchema,
  type GrantItem,
  type PrivacyBudget,
  type Quota,
  type SandboxNoise,
} from './schemas.js';
import type { AccessUse } from './vocab.js';

/** The terms agreed so far: the grant that the last approval creates. */
export interface Terms {
  items: GrantItem[];
  rowFilter: ItemFilter[];
  validFrom: string;
  validUntil: string;
  quota: Quota | null;
  allowedIps: string[];
  mayExport: boolean;
  /** Statistics requests (and noised sandbox ones) only; absent from terms stored before budgets existed. */
  privacyBudget?: PrivacyBudget | null;
  /** Sandbox requests only; absent from terms stored before sandbox noise existed. */
  sandboxNoise?: SandboxNoise | null;
}

/** What the request itself asks for, before any approver narrows it. */
export function requestedTerms(row: RequestRow, resource: ResourceView): Terms {
  const byName = new Map(resource.items.map((i) => [i.name, i]));
  const quota =
    row.expected_calls_per_day !== null && row.expected_rows_per_day !== null
      ? { callsPerDay: row.expected_calls_per_day, rowsPerDay: row.expected_rows_per_day }
      : null;
  return {
    items: json<string[]>(row.items)
      .filter((n) => byName.has(n))
      .map((name) => ({ name, mask: defaultMask(byName.get(name)!) })),
    rowFilter: [],
    validFrom: new Date(row.valid_from).toISOString(),
    validUntil: new Date(row.valid_until).toISOString(),
    quota,
    allowedIps: [],
    mayExport: false,
    privacyBudget: row.use === 'statistics' ? DEFAULT_PRIVACY_BUDGET : null,
    // Noise is the provider's to impose when approving; a request never asks for it.
    sandboxNoise: null,
  };
}

/** Conditions in a canonical form (keys sorted), so that equal ones compare equal. */
function conditionKey(filter: ItemFilter): string {
  return JSON.stringify(Object.fromEntries(Object.entries(filter).sort(([a], [b]) => a.localeCompare(b))));
}

/** The conditions with each one kept once, in their first order. */
export function uniqueConditions(filters: readonly ItemFilter[]): ItemFilter[] {
  return [...new Map(filters.map((f) => [conditionKey(f), f])).values()];
}

/**
 * The address list after a step: the first sets it; a later one may only narrow an existing
 * list (each block inside one already allowed), never lift it to "any address" (400 `ips_widened`).
 */
function allowedIps(base: string[], input: string[] | undefined, firstStep: boolean): string[] {
  if (input === undefined) return base;
  if (firstStep || base.length === 0) return input;
  if (input.length === 0) return base;
  const outside = input.filter((block) => !cidrWithin(block, base));
  if (outside.length) {
    throw new BadRequestError('ips_widened', `Outside the addresses agreed so far: ${outside.join(', ')}`, {
      field: 'allowedIps',
      blocks: outside,
    });
  }
  return input;
}

const narrowing = (code: ErrorCode, message: string, field: string) =>
  new BadRequestError(code, message, { field });

/**
 * Applies an approver's terms to those agreed so far: items only from those (400
 * `item_not_requested`), a period inside theirs (400 `period_not_within_request`), quotas no
 * larger (400 `quota_exceeds_request`). Omitted fields keep the earlier terms. Only the first
 * approver may unmask an item or allow export; later steps (the security officer) only narrow.
 * The ε budget and the noise on sandbox answers follow privacy-terms.ts.
 */
export function narrowTerms(
  base: Terms,
  input: ApprovalTermsInput,
  resource: ResourceView,
  firstStep: boolean,
  use: AccessUse,
): Terms {
  const body = parseBody(ApprovalTermsSchema, input);
  const known = resource.items.map((i) => i.name);
  let items = base.items;
  if (body.items) {
    checkItemNames(
      body.items.map((i) => i.name),
      known,
      'items',
    );
    const offered = new Map(base.items.map((i) => [i.name, i]));
    const extra = body.items.filter((i) => !offered.has(i.name)).map((i) => i.name);
    if (extra.length) {
      // At a later step the items on offer are those the earlier step granted, not the request's.
      throw new BadRequestError(
        firstStep ? 'item_not_requested' : 'item_not_agreed',
        firstStep
          ? `Not requested: ${extra.join(', ')}`
          : `Not granted by the earlier step: ${extra.join(', ')}`,
        { field: 'items', items: extra },
      );
    }
    items = body.items.map((i) => ({ name: i.name, mask: i.mask ?? offered.get(i.name)!.mask }));
    const unmasked = items.filter((i) => i.mask.kind === 'none' && offered.get(i.name)!.mask.kind !== 'none');
    if (!firstStep && unmasked.length) {
      throw new BadRequestError('mask_widened', `A later step cannot unmask ${unmasked[0]!.name}`, {
        field: 'items',
        items: unmasked.map((i) => i.name),
      });
    }
  }
  // A later step's conditions are ANDed to the earlier ones (it can only narrow); a condition
  // already agreed is kept once, so a reviewer who resends the filter does not store it twice.
  const rowFilter = body.rowFilter
    ? uniqueConditions([...base.rowFilter, ...body.rowFilter])
    : base.rowFilter;
  checkRowFilter(rowFilter, known);
  const validFrom = body.validFrom ? new Date(body.validFrom).toISOString() : base.validFrom;
  const validUntil = body.validUntil ? new Date(body.validUntil).toISOString() : base.validUntil;
  if (validFrom < base.validFrom || validUntil > base.validUntil || validUntil <= validFrom) {
    throw narrowing(
      'period_not_within_request',
      'The period must lie within the requested one',
      'validUntil',
    );
  }
  let quota = body.quota === undefined ? base.quota : body.quota;
  if (base.quota && quota === null) quota = base.quota;
  if (
    base.quota &&
    quota &&
    (quota.callsPerDay > base.quota.callsPerDay || quota.rowsPerDay > base.quota.rowsPerDay)
  ) {
    throw narrowing('quota_exceeds_request', 'Quotas may only be lowered', 'quota');
  }
  return {
    items: [...new Map(items.map((i) => [i.name, i])).values()],
    rowFilter,
    validFrom,
    validUntil,
    quota,
    allowedIps: allowedIps(base.allowedIps, body.allowedIps, firstStep),
    mayExport: firstStep ? (body.mayExport ?? false) : base.mayExport && (body.mayExport ?? true),
    ...privacyTerms(use, base, body, firstStep),
  };
}

/** Whether the agreed terms give less than was asked: fewer items, a row filter, a shorter period. */
export function isPartial(requested: Terms, agreed: Terms): boolean {
  return (
    agreed.items.length < requested.items.length ||
    agreed.rowFilter.length > 0 ||
    agreed.validFrom > requested.validFrom ||
    agreed.validUntil < requested.validUntil
  );
}
