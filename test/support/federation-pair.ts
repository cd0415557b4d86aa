import { buildApiKey, buildOrganization } from './factories.js';
import { nationalAndZhejiang, nationalPeople } from './federation.js';

/**
 * The joined nodes (issue 17, items 4 and 6: 回流), the national node providing its people as
 * two resources offered by API, file and verification — `code` shared unconditionally (无条件共享:
 * granted on first use, with the usual masks), `conditional` on conditions — and the Zhejiang
 * node holding an application of its provincial bureau (`key`) and one of a Fujian organisation
 * it does not speak for (`stray`).
 */
export async function openFederationPair(peopleCount = 5) {
  const { national, zhejiang, admin } = await nationalAndZhejiang();
  const sharingMethods = ['api', 'file', 'verification'] as const;
  const people = await nationalPeople(national, peopleCount, [
    { sharingType: 'unconditional', sharingMethods: [...sharingMethods] },
    { sharingType: 'conditional', sharingMethods: [...sharingMethods] },
  ]);
  const [code, conditional] = people.codes as [string, string];
  const bureau = await buildOrganization(zhejiang.store.db, {
    name: '浙江省人力资源和社会保障厅',
    level: 'provincial',
    regionCode: '330000',
  });
  const key = (await buildApiKey(zhejiang.store.db, bureau.id)).key;
  // An organisation of Fujian registered on the Zhejiang node: Zhejiang does not speak for it.
  const fujian = await buildOrganization(zhejiang.store.db, { name: '福建省某厅', regionCode: '350000' });
  const stray = (await buildApiKey(zhejiang.store.db, fujian.id)).key;
  return {
    national,
    zhejiang,
    admin,
    code,
    conditional,
    key,
    stray,
    close: async () => {
      await zhejiang.close();
      await national.close();
      await people.drop();
    },
  };
}

/** The two nodes of openFederationPair. */
export type FederationPair = Awaited<ReturnType<typeof openFederationPair>>;
