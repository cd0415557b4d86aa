import type { ResourceView } from '../catalog/index.js';
import type { MaskSpec } from '../privacy/index.js';
import type { ItemFilter } from './item-filter.js';
import type { KGate, PrivacyBudget, Quota, SandboxNoise } from './schemas.js';
import type { AccessUse } from './vocab.js';

/** The facts of a catalog resource that access decisions read (a `ResourceView` has them all). */
export type AccessResource = Pick<
  ResourceView,
  'id' | 'code' | 'items' | 'sharingType' | 'sharingMethods' | 'openType' | 'grade' | 'status' | 'licence'
> & { provider: Pick<ResourceView['provider'], 'id'> };

/**
 * What a caller may read of a resource, decided afresh on every request: which items (each with
 * its mask), which rows (ANDed conditions over item names), for what purpose, within which
 * daily quota, and whether files may be exported. `use` narrows core data to aggregates or checks.
 */
export interface Access {
  mode: 'provider' | 'grant' | 'open';
  resourceCode: string;
  grantId: string | null;
  purpose: string;
  use: AccessUse;
  items: Array<{ name: string; mask: MaskSpec }>;
  rowFilter: ItemFilter[];
  quota: Quota | null;
  mayExport: boolean;
  /** The ε budget of a `statistics` grant, or of a `sandbox` grant with noise; null otherwise. */
  privacyBudget: PrivacyBudget | null;
  /** A `sandbox` grant whose answers are noised: ε of each released aggregate. Absent or null: exact. */
  sandboxNoise?: SandboxNoise | null;
  /**
   * Open data only: the k-anonymity gate its released rows must pass (quasi-identifiers among
   * the released items, and the k the steward asked for; query/ raises it to the platform's
   * minimum). Absent or null: no gate configured.
   */
  kGate?: KGate | null;
}
