import { ForbiddenError, NotFoundError, UnauthorizedError } from '../errors/index.js';
import type { Actor, AuthenticatedActor } from './actor.js';
import type { Role } from './roles.js';

/** What is being acted on: its owning organisation, when it has one. */
export interface Target {
  orgId?: string;
  /** The name used in a 404, so that refusals read naturally. */
  noun?: string;
  /** Roles being handed out, for `role.assign`. */
  roles?: readonly Role[];
}

type Verdict = 'allow' | 'deny' | 'hide';
type Rule = (actor: AuthenticatedActor, target: Target) => Verdict;

const any =
  (...roles: Role[]) =>
  (actor: AuthenticatedActor): boolean =>
    roles.some((r) => actor.roles.includes(r));
const sameOrg = (actor: AuthenticatedActor, target: Target) => target.orgId === actor.orgId;

/** Platform-wide by the given roles; otherwise within the actor's own organisation, others' objects hidden. */
const ownOrg =
  (platformRoles: Role[], orgRoles: Role[]): Rule =>
  (actor, target) => {
    if (any(...platformRoles)(actor)) return 'allow';
    if (!any(...orgRoles)(actor)) return target.orgId && !sameOrg(actor, target) ? 'hide' : 'deny';
    if (target.orgId === undefined || sameOrg(actor, target)) return 'allow';
    return 'hide';
  };

const onlyRoles =
  (...roles: Role[]): Rule =>
  (actor) =>
    any(...roles)(actor) ? 'allow' : 'deny';

// The one policy table. Every action a route can take is named here.
const POLICY = {
  'organization.read': () => 'allow',
  'organization.create': onlyRoles('platform_admin'),
  'organization.update': ownOrg(['platform_admin'], ['org_admin']),
  'user.read': ownOrg(['platform_admin'], ['org_admin']),
  'user.create': ownOrg(['platform_admin'], ['org_admin']),
  'user.update': ownOrg(['platform_admin'], ['org_admin']),
  // Applications and keys belong to their organisation: the platform administrator cannot mint
  // a key for another organisation's application, or it could read that organisation's grants.
  'application.read': ownOrg([], ['org_admin', 'data_steward', 'analyst']),
  // Keys are minted by people only: a leaked key must not be able to mint more.
  'application.manage': (actor, target) =>
    actor.kind === 'user' ? ownOrg([], ['org_admin', 'data_steward', 'analyst'])(actor, target) : 'deny',
  // Organisation administrators hand out their organisation's roles; the 三员 are appointed by the platform.
  'role.assign': (actor, target) => {
    if (any('platform_admin')(actor)) return 'allow';
    const orgRoles: Role[] = ['org_admin', 'data_steward', 'analyst'];
    return any('org_admin')(actor) && (target.roles ?? []).every((r) => orgRoles.includes(r))
      ? 'allow'
      : 'deny';
  },
  // The catalog: a provider's stewards and administrators write its entries; reading is the
  // catalog's visibility rule (canSeeResource), since anonymous callers read open data too.
  'resource.manage': ownOrg([], ['org_admin', 'data_steward']),
  // Catalog review (目录审核): the platform's catalog reviewers see every pending change and decide
  // it, people only (a key never approves what enters the catalog); a provider's stewards and
  // administrators follow and withdraw their own organisation's changes.
  'catalog_change.read': ownOrg(['catalog_reviewer'], ['org_admin', 'data_steward']),
  'catalog_change.decide': (actor) =>
    actor.kind === 'user' && any('catalog_reviewer')(actor) ? 'allow' : 'deny',
  'catalog_change.withdraw': ownOrg([], ['org_admin', 'data_steward']),
  // Sources hold the organisation's connection credentials: only its own stewards and
  // administrators see or change them, and no platform role reaches across organisations.
  'source.manage': ownOrg([], ['org_admin', 'data_steward']),
  'source.read': ownOrg([], ['org_admin', 'data_steward']),
  // Sharing (共享): analysts request access for their applications; the provider's steward, then
  // for important and core data its security officer, decide. People only: a key never applies
  // for or approves its own access. Each side sees a request or grant through its own organisation.
  'access_request.create': (actor, target) =>
    actor.kind === 'user' ? ownOrg([], ['analyst'])(actor, target) : 'deny',
  'access_request.read': (actor, target) =>
    actor.kind === 'user' ? ownOrg([], ['org_admin', 'data_steward', 'analyst'])(actor, target) : 'deny',
  'access_request.oversee': (actor, target) =>
    actor.kind === 'user'
      ? ownOrg([], ['org_admin', 'data_steward', 'security_officer'])(actor, target)
      : 'deny',
  'access_request.withdraw': (actor, target) =>
    actor.kind === 'user' ? ownOrg([], ['analyst', 'org_admin'])(actor, target) : 'deny',
  'access_request.review': (actor, target) =>
    actor.kind === 'user' ? ownOrg([], ['data_steward', 'security_officer'])(actor, target) : 'deny',
  // Counts and durations only, no request or party named: any signed-in member (the dashboard).
  'access_request.stats': () => 'allow',
  'grant.read': ownOrg([], ['org_admin', 'data_steward', 'analyst', 'security_officer']),
  'grant.manage': (actor, target) =>
    actor.kind === 'user' ? ownOrg([], ['data_steward', 'security_officer'])(actor, target) : 'deny',
  // 可用不可见: sandbox answers held for release review. Analysts (and their keys) follow their
  // own; the provider's stewards, people only, decide.
  'release_review.read': onlyRoles('data_steward', 'analyst'),
  'release_review.decide': (actor, target) =>
    actor.kind === 'user' ? ownOrg([], ['data_steward'])(actor, target) : 'deny',
  // Any account: accepting an open licence or reading one's own notifications reaches no one else's data.
  'licence.accept': () => 'allow',
  'notification.read': () => 'allow',
  'audit.read': ownOrg(['auditor'], ['org_admin']),
  'audit.verify': onlyRoles('auditor'),
  // Governance (治理): the working-day calendar and the deadline rules are the platform's to set
  // (its system administrator); anyone signed in reads them. Deadline figures (SLA) name parties
  // of requests: the platform administrator and the auditor see every department, an
  // organisation's administrator and security officer their own (the caller filters by org).
  'calendar.read': () => 'allow',
  'calendar.manage': onlyRoles('platform_admin'),
  'deadline_rule.manage': onlyRoles('platform_admin'),
  'sla.read': ownOrg(['platform_admin', 'auditor'], ['org_admin', 'security_officer']),
  'assessment.read': ownOrg(['platform_admin', 'auditor'], ['org_admin', 'security_officer']),
  // Data quality (数据质量): a provider's stewards and administrators set its resources' rules and
  // schedules, run them and read the issues (masked samples); scores are anyone's signed in.
  'quality.manage': ownOrg([], ['org_admin', 'data_steward']),
  'quality.read': () => 'allow',
  // Objections (异议处理): whoever reads a resource's rows (analysts and stewards, their keys too)
  // objects to rows it read; the provider's stewards, people only, correct or explain; the
  // consumer's side confirms or reopens. Each side sees the objections of its organisation. Counts
  // per resource are the provider's (and the platform's overseers').
  'objection.raise': onlyRoles('analyst', 'data_steward'),
  'objection.read': ownOrg([], ['org_admin', 'data_steward', 'analyst', 'security_officer']),
  'objection.answer': (actor, target) =>
    actor.kind === 'user' ? ownOrg([], ['data_steward'])(actor, target) : 'deny',
  'objection.close': ownOrg([], ['analyst', 'data_steward', 'org_admin']),
  'objection.stats': ownOrg(['platform_admin', 'auditor'], ['org_admin', 'data_steward', 'security_officer']),
  // The demand list (需求清单) is the platform's public list of needs: anyone signed in reads it.
  // Members of an organisation post (people only); the platform administrator assigns; the
  // assigned department's steward or administrator answers or declines; the requester's
  // organisation withdraws. Demands are visible to all, so another's is a 403, never a 404.
  'demand.read': () => 'allow',
  'demand.create': (actor) =>
    actor.kind === 'user' && any('org_admin', 'data_steward', 'analyst')(actor) ? 'allow' : 'deny',
  'demand.assign': (actor) => (actor.kind === 'user' && any('platform_admin')(actor) ? 'allow' : 'deny'),
  'demand.answer': (actor, target) =>
    actor.kind === 'user' && any('org_admin', 'data_steward')(actor) && sameOrg(actor, target)
      ? 'allow'
      : 'deny',
  'demand.withdraw': (actor, target) =>
    actor.kind === 'user' && any('org_admin', 'data_steward', 'analyst')(actor) && sameOrg(actor, target)
      ? 'allow'
      : 'deny',
  // Early warning (安全预警): the security officer watches the alerts, works them and sets the
  // rules' thresholds, people only; the auditor reads them (and the audited changes) too.
  // Federation (联邦): the platform administrator runs the node's membership (tokens, approvals,
  // suspensions), people only; the auditor reads it too.
  'federation.read': onlyRoles('platform_admin', 'auditor'),
  'federation.manage': (actor) => (actor.kind === 'user' && any('platform_admin')(actor) ? 'allow' : 'deny'),
  // A cross-node read (跨节点访问) is made for an application, as the provider's grants are: its
  // API key, with the analyst role that reads data locally.
  'federation.remote_read': (actor) =>
    actor.kind === 'application' && actor.roles.includes('analyst') ? 'allow' : 'deny',
  'warning.read': onlyRoles('security_officer', 'auditor'),
  'warning.manage': (actor) => (actor.kind === 'user' && any('security_officer')(actor) ? 'allow' : 'deny'),
  // An application's risk score (the rules behind it, no entry): the stewards who review its
  // requests see it too.
  'warning.risk': onlyRoles('security_officer', 'auditor', 'data_steward'),
  'warning.configure': (actor) =>
    actor.kind === 'user' && any('security_officer')(actor) ? 'allow' : 'deny',
  // Leak tracing (数据溯源): the security officer traces a leaked file to its recipients, people
  // only; a provider's stewards set which items carry marks (resource.manage).
  'trace.run': (actor) => (actor.kind === 'user' && any('security_officer')(actor) ? 'allow' : 'deny'),
  // Subscriptions (订阅): a consumer application (its API key) subscribes and pulls, within its own
  // organisation; the organisation's administrators and analysts follow them. Another
  // organisation's subscription is hidden (404).
  'subscription.manage': (actor, target) => {
    if (target.orgId && !sameOrg(actor, target)) return 'hide';
    return actor.kind === 'application' ? 'allow' : 'deny';
  },
  'subscription.read': (actor, target) => {
    if (target.orgId && !sameOrg(actor, target)) return 'hide';
    return actor.kind === 'application' || any('org_admin', 'analyst')(actor) ? 'allow' : 'deny';
  },
  // Operating a push subscription (pause, resume, replay a dead letter): the application, or its
  // organisation's administrator from the console.
  'subscription.operate': (actor, target) => {
    if (target.orgId && !sameOrg(actor, target)) return 'hide';
    return actor.kind === 'application' || any('org_admin')(actor) ? 'allow' : 'deny';
  },
  // A provider sees who subscribes to its resources (not their events): its stewards and administrators.
  'subscription.list_subscribers': (actor, target) => {
    if (target.orgId && !sameOrg(actor, target)) return 'hide';
    return any('org_admin', 'data_steward')(actor) ? 'allow' : 'deny';
  },
  // Change capture per source (slot size, lag): the platform's administrators.
  'capture.read': onlyRoles('platform_admin'),
  // Operational figures (requests, releases by resource, pools): the system administrator's.
  'metrics.read': onlyRoles('platform_admin'),
  // 三员分立: administrators, security officers and auditors never read shared data.
  'data.read': (actor) => (any('data_steward', 'analyst')(actor) ? 'allow' : 'deny'),
} satisfies Record<string, Rule>;

/** Every action the policy knows. */
export type Action = keyof typeof POLICY;

/**
 * The one authorisation check: throws 401 for nobody, 404 for another organisation's object
 * that the actor may not know exists, 403 otherwise; returns the authenticated actor.
 */
export function authorize(actor: Actor, action: Action, target: Target = {}): AuthenticatedActor {
  if (actor.kind === 'anonymous') throw new UnauthorizedError();
  const verdict: Verdict = (POLICY[action] as Rule)(actor, target);
  if (verdict === 'allow') return actor;
  if (verdict === 'hide') throw new NotFoundError(target.noun);
  throw new ForbiddenError(`Your roles do not allow ${action}`);
}

/** Whether `authorize` would allow the action, without throwing. */
export function isAllowed(actor: Actor, action: Action, target: Target = {}): boolean {
  if (actor.kind === 'anonymous') return false;
  return (POLICY[action] as Rule)(actor, target) === 'allow';
}
