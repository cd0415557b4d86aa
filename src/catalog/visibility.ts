import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Actor } from '../identity/index.js';
import type { Database } from '../store/index.js';
import type { OpenType, ResourceStatus, SharingType } from './vocab.js';

/** The facts about a resource that decide who may see it. */
export interface VisibilityFacts {
  providerId: string;
  status: ResourceStatus;
  sharingType: SharingType;
  openType: OpenType;
}

/**
 * Who may see a resource (its metadata). The provider's members see all of theirs, drafts too.
 * Other members see published (and retired) resources unless they are 不予共享. Anonymous
 * callers, on the open-data portal, see only published resources that are 无条件/有条件开放.
 */
export function canSeeResource(actor: Actor, resource: VisibilityFacts): boolean {
  if (actor.kind !== 'anonymous' && actor.orgId === resource.providerId) return true;
  if (resource.status === 'draft') return false;
  if (actor.kind === 'anonymous') return resource.openType !== 'not_open';
  return resource.sharingType !== 'not_shared';
}

/** `canSeeResource` as a SQL condition on the `resources` table, for lists, search and counts. */
export function visibleResourceFilter(actor: Actor) {
  return (eb: ExpressionBuilder<Database, 'resources'>): Expression<SqlBool> => {
    const released = eb('resources.status', '<>', 'draft');
    if (actor.kind === 'anonymous') {
      return eb.and([released, eb('resources.open_type', '<>', 'not_open')]);
    }
    return eb.or([
      eb('resources.provider_id', '=', actor.orgId),
      eb.and([released, eb('resources.sharing_type', '<>', 'not_shared')]),
    ]);
  };
}
