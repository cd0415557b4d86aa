import type { PersonalInfoKind } from './grades.js';
import type { MaskSpec } from './mask-spec.js';

const REDACT: MaskSpec = { kind: 'redact' };
const SUPPRESS: MaskSpec = { kind: 'suppress' };

/**
 * The mask each kind of personal information gets unless a grant says otherwise. Each hides the
 * item: a convention keeps only what it is known to keep (an ID number's region and last four),
 * categories (性别, 民族, 婚姻, 宗教, 健康 …) are suppressed, quantities become bands, addresses
 * stop at the district, and everything else is redacted to `***`.
 */
export const DEFAULT_MASKS: Readonly<Record<PersonalInfoKind, MaskSpec>> = {
  'id-number': { kind: 'id-number' },
  'credit-code': REDACT,
  mobile: { kind: 'mobile' },
  landline: REDACT,
  'bank-card': { kind: 'bank-card' },
  email: REDACT,
  passport: REDACT,
  plate: REDACT,
  ipv4: REDACT,
  ipv6: REDACT,
  name: { kind: 'name' },
  address: { kind: 'address' },
  'birth-date': { kind: 'year', width: 10 },
  gender: SUPPRESS,
  age: { kind: 'age-band', width: 10, top: 90 },
  ethnicity: SUPPRESS,
  marital: SUPPRESS,
  religion: SUPPRESS,
  health: SUPPRESS,
  biometric: REDACT,
  location: REDACT,
  financial: REDACT,
  'criminal-record': SUPPRESS,
};

/** The default mask of a kind of personal information; `redact` when the kind is unknown (null). */
export function defaultMaskForKind(kind: PersonalInfoKind | null): MaskSpec {
  return kind === null ? REDACT : DEFAULT_MASKS[kind];
}
