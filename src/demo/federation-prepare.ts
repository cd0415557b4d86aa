import type { Kysely } from 'kysely';
import {
  createApiKey,
  createApplication,
  createOrganization,
  createUser,
  findOrganizationByName,
  updateOrganization,
} from '../identity/index.js';
import type { Database } from '../store/index.js';
import { FEDERATION_ACCOUNTS, PLATFORM_ORGS, ZHEJIANG_MARKET } from './federation-nodes.js';
import { DEMO_PASSWORD } from './members.js';

/** What preparing the 浙江 node made: the application that reads 福建's data, and a key for it. */
export interface ZhejiangPrepared {
  applicationId: string;
  apiKey: string;
}

async function platformOrgId(db: Kysely<Database>): Promise<string> {
  const platform = await db
    .selectFrom('organizations')
    .select('id')
    .where('kind', '=', 'platform')
    .executeTakeFirst();
  if (!platform) throw new Error('no platform organisation: create the first administrator first');
  return platform.id;
}

/**
 * Names the national or 浙江 node's platform organisation and adds its demo accounts, on the
 * stopped node's store (like the province's bootstrap: the step before any API exists). 浙江
 * also gets 浙江省市场监督管理局 with its application and one API key.
 */
export async function prepareFederationNode(
  db: Kysely<Database>,
  node: 'national' | 'zhejiang',
): Promise<ZhejiangPrepared | undefined> {
  const platform = await platformOrgId(db);
  await updateOrganization(db, platform, PLATFORM_ORGS[node]);
  const market =
    node === 'zhejiang'
      ? ((await findOrganizationByName(db, ZHEJIANG_MARKET.name)) ??
        (await createOrganization(db, {
          name: ZHEJIANG_MARKET.name,
          kind: 'department',
          level: 'provincial',
          regionCode: '330000',
        })))
      : undefined;
  for (const account of FEDERATION_ACCOUNTS.filter((a) => a.node === node)) {
    await createUser(db, {
      orgId: account.org === 'zjscjg' ? market!.id : platform,
      username: account.username,
      displayName: account.displayName,
      password: DEMO_PASSWORD,
      roles: account.roles,
    });
  }
  if (!market) return undefined;
  const application = await createApplication(db, {
    orgId: market.id,
    name: ZHEJIANG_MARKET.application,
    description: ZHEJIANG_MARKET.applicationDescription,
  });
  const key = await createApiKey(db, {
    applicationId: application.id,
    name: 'federation demo',
    roles: ['analyst'],
  });
  return { applicationId: application.id, apiKey: key.key };
}
