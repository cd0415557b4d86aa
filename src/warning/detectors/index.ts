import { bruteForce } from './brute-force.js';
import { burstBeforeExpiry } from './burst-before-expiry.js';
import type { Detector } from './detector.js';
import { verificationEnumeration } from './enumeration.js';
import { federationLogFork } from './federation-fork.js';
import { manyResources } from './many-resources.js';
import { newAddress } from './new-address.js';
import { nightAdmin } from './night-admin.js';
import { offHoursBulk } from './off-hours.js';
import { personalDataExport } from './personal-export.js';
import { selfApproval } from './self-approval.js';
import { volumeAboveBaseline } from './volume.js';

export type { Detector, DetectorContext, Finding } from './detector.js';
export { type SeenEntry, seeEntry } from './entries.js';
export { Lookups } from './lookups.js';

/** A fresh set of every rule's detector (the windowed ones with empty windows). */
export function createDetectors(): Detector[] {
  return [
    volumeAboveBaseline(),
    offHoursBulk,
    newAddress(),
    verificationEnumeration(),
    manyResources(),
    bruteForce(),
    burstBeforeExpiry(),
    personalDataExport,
    selfApproval,
    nightAdmin,
    federationLogFork,
  ];
}
