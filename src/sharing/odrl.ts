import type { GrantView } from './schemas.js';

/** IRIs of the platform's objects under one base URL (`https://host`). */
function iris(base: string, grant: GrantView) {
  const root = base.replace(/\/+$/, '');
  return {
    uid: `${root}/api/v1/grants/${grant.id}`,
    assigner: `${root}/api/v1/organizations/${grant.providerId}`,
    assignee: grant.applicationId
      ? `${root}/api/v1/applications/${grant.applicationId}`
      : `${root}/api/v1/organizations/${grant.consumerOrgId}`,
    target: `${root}/api/v1/resources/${grant.resourceCode}`,
  };
}

const typed = (value: string, type: string) => ({ '@value': value, '@type': type });

/**
 * A grant as an ODRL 2.2 Agreement in JSON-LD (w3.org/ns/odrl.jsonld context): the provider
 * organisation assigns `use` of the resource to the consuming application (or organisation),
 * constrained by purpose, period (dateTime gteq/lteq) and daily call count (count per P1D
 * timeInterval); masked items are
 * `anonymize` duties on their item, and passing the data on is prohibited (条例 art. 25).
 */
export function grantToOdrl(grant: GrantView, base: string): Record<string, unknown> {
  const id = iris(base, grant);
  const constraint: Record<string, unknown>[] = [
    { leftOperand: 'purpose', operator: 'eq', rightOperand: { '@value': grant.purpose, '@language': 'zh' } },
    { leftOperand: 'dateTime', operator: 'gteq', rightOperand: typed(grant.validFrom, 'xsd:dateTime') },
  ];
  if (grant.validUntil) {
    constraint.push({
      leftOperand: 'dateTime',
      operator: 'lteq',
      rightOperand: typed(grant.validUntil, 'xsd:dateTime'),
    });
  }
  if (grant.quota) {
    // A daily quota is ODRL's rate idiom: at most `count` uses in each recurring one-day interval.
    constraint.push(
      { leftOperand: 'timeInterval', operator: 'eq', rightOperand: typed('P1D', 'xsd:duration') },
      {
        leftOperand: 'count',
        operator: 'lteq',
        rightOperand: typed(String(grant.quota.callsPerDay), 'xsd:integer'),
      },
    );
  }
  const duty = grant.items
    .filter((i) => i.mask.kind !== 'none')
    .map((i) => ({ action: 'anonymize', target: `${id.target}#item=${encodeURIComponent(i.name)}` }));
  return {
    '@context': 'http://www.w3.org/ns/odrl.jsonld',
    '@type': 'Agreement',
    uid: id.uid,
    assigner: id.assigner,
    assignee: id.assignee,
    target: id.target,
    permission: [{ action: 'use', constraint, ...(duty.length ? { duty } : {}) }],
    prohibition: [{ action: 'distribute' }],
  };
}
