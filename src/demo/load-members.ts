import type { OrganizationView, UserView } from '../identity/index.js';
import type { Auth, PlatformClient } from './client.js';
import { ACCOUNTS, BUREAU, DEMO_PASSWORD, ORGANIZATIONS } from './members.js';
import { inParallel } from './parallel.js';

/** Organisation ids by member key. */
export type OrgIds = Map<string, string>;

/** Registers every member and its users through the API, as the platform administrator. */
export async function loadMembers(client: PlatformClient, admin: Auth, bureauId: string): Promise<OrgIds> {
  const ids: OrgIds = new Map([[BUREAU.key, bureauId]]);
  const existing = await client.all<OrganizationView>(admin, '/api/v1/organizations');
  for (const org of ORGANIZATIONS) {
    const found = existing.find((o) => o.name === org.name);
    const created =
      found ??
      (await client.call<OrganizationView>(admin, 'POST', '/api/v1/organizations', {
        name: org.name,
        kind: org.kind,
        level: org.level,
        regionCode: org.regionCode,
        parentId: org.parent ? ids.get(org.parent) : null,
        creditCode: org.creditCode,
      }));
    ids.set(org.key, created.id);
  }
  const users = new Set((await client.all<UserView>(admin, '/api/v1/users')).map((u) => u.username));
  await inParallel(
    ACCOUNTS.filter((a) => !users.has(a.username)),
    4,
    (account) =>
      client.call(admin, 'POST', '/api/v1/users', {
        orgId: ids.get(account.org),
        username: account.username,
        displayName: account.displayName,
        password: DEMO_PASSWORD,
        roles: account.roles,
        // The demo's published accounts keep the documented password (real accounts must change it).
        mustChangePassword: false,
      }),
  );
  return ids;
}

/** Logs demo accounts in once each and remembers the sessions. */
export class Sessions {
  private readonly open = new Map<string, Promise<Auth>>();

  constructor(private readonly client: PlatformClient) {}

  /** The session of a demo account, logging in on first use. */
  as(username: string): Promise<Auth> {
    let auth = this.open.get(username);
    if (!auth) {
      auth = this.client.login(username, DEMO_PASSWORD);
      this.open.set(username, auth);
    }
    return auth;
  }

  /** The session of the first data steward (or org admin) of a member. */
  steward(orgKey: string): Promise<Auth> {
    const account =
      ACCOUNTS.find((a) => a.org === orgKey && a.roles.includes('data_steward')) ??
      ACCOUNTS.find((a) => a.org === orgKey && a.roles.includes('org_admin'));
    if (!account) throw new Error(`no steward for ${orgKey}`);
    return this.as(account.username);
  }
}
