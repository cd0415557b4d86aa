import { ForbiddenError } from '../errors/index.js';
import type { Access, AccessResource } from './access.js';
import type { AccessUse } from './vocab.js';

/**
 * The sharing method (共享方式) a delivery uses. `api` is the paged JSON answer: at most a page
 * per call, each call counted. `file` is any format that carries the whole result in one
 * response (CSV, XLSX, Parquet, Arrow — and NDJSON: streamed without pages, it is a bulk copy of
 * the data like a file, whatever its media type). `verification` is the yes/no check.
 */
export type DeliveryMethod = 'api' | 'file' | 'verification';

/** The method a delivery format belongs to: JSON pages are `api`, every streamed format `file`. */
export function methodOfFormat(format: string): DeliveryMethod {
  return format === 'json' ? 'api' : 'file';
}

const LABELS: Record<DeliveryMethod, string> = { api: '接口', file: '文件', verification: '核验' };

/**
 * Refuses a delivery by a method the resource does not offer (403 `method_not_offered`, or
 * `verification_not_offered`). Grants are bound by it: the catalog's 共享方式 says how the
 * provider agreed to let the data go. The provider's own members read every way; open data goes
 * as its open release says.
 */
export function checkSharingMethod(resource: AccessResource, access: Access, method: DeliveryMethod): void {
  if (resource.sharingMethods.includes(method)) return;
  // The verify endpoint exists only where the catalog offers it, for the provider too.
  if (method === 'verification') {
    throw new ForbiddenError(`${resource.code} does not offer verification`, 'verification_not_offered');
  }
  if (access.mode === 'provider') return;
  // Open data is released as its open release says; 共享方式 governs sharing between members.
  if (access.mode === 'open') return;
  throw new ForbiddenError(
    `${resource.code} is not shared by ${method} (${LABELS[method]}); it offers ${resource.sharingMethods.join(', ') || 'nothing'}`,
    'method_not_offered',
  );
}

/**
 * The uses an automatic grant gets from its resource's sharing methods: records (`detail`) when
 * the resource is offered by API, file or subscription, else only checks (`verification`); file
 * exports only when it is offered as files.
 */
export function offeredUses(resource: AccessResource): { use: AccessUse; mayExport: boolean } {
  const methods = resource.sharingMethods;
  const records = methods.some((m) => m === 'api' || m === 'file' || m === 'subscription');
  return { use: records ? 'detail' : 'verification', mayExport: methods.includes('file') };
}
