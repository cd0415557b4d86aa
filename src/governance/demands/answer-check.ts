import type { Kysely } from 'kysely';
import { getResource, type ResourceView } from '../../catalog/index.js';
import { ConflictError, NotFoundError } from '../../errors/index.js';
import type { Actor } from '../../identity/index.js';
import type { Database } from '../../store/index.js';
import type { DemandRow } from './rows.js';

/** What an answer's resource is, once checked. */
export interface AnswerFacts {
  resourceId: string;
  code: string;
  name: string;
  published: boolean;
}

// The answerer's own view of the catalog decides existence: another department's draft is as
// absent to them as a code nobody used.
async function findResource(db: Kysely<Database>, actor: Actor, code: string): Promise<ResourceView> {
  try {
    return await getResource(db, actor, code);
  } catch (error) {
    if (error instanceof NotFoundError) throw new NotFoundError(`Resource ${code}`, 'resource_not_found');
    throw error;
  }
}

/**
 * Checks the resource an answer points at: it exists, the requester will be able to see it once
 * published (not 不予共享 to another department), and — an existing resource — it is published;
 * — a new entry — it is the answering department's own and not retired.
 */
export async function answerFacts(
  db: Kysely<Database>,
  actor: Actor,
  row: DemandRow,
  answer: { kind: 'existing_resource' | 'new_entry'; resourceCode: string },
): Promise<AnswerFacts> {
  const resource = await findResource(db, actor, answer.resourceCode);
  const details = { field: 'resourceCode', code: resource.code };
  if (resource.status === 'retired')
    throw new ConflictError('resource_retired', 'The resource is retired', details);
  if (answer.kind === 'existing_resource' && resource.status !== 'published')
    throw new ConflictError('not_published', 'The resource is not published', details);
  if (answer.kind === 'new_entry' && resource.provider.id !== row.assigned_org_id)
    throw new ConflictError(
      'entry_not_own',
      'A new entry must be a catalog entry of the answering department',
      details,
    );
  if (resource.sharingType === 'not_shared' && resource.provider.id !== row.requester_org_id)
    throw new ConflictError(
      'resource_not_shareable',
      'The resource is 不予共享: the requester could never see it',
      details,
    );
  return {
    resourceId: resource.id,
    code: resource.code,
    name: resource.name,
    published: resource.status === 'published',
  };
}
