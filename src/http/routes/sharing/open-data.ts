import {
  acceptLicence,
  getOpenRelease,
  LicenceAcceptanceSchema,
  OpenReleaseInputSchema,
  OpenReleaseSchema,
  setOpenRelease,
} from '../../../sharing/index.js';
import { recordEvent } from '../../audit-event.js';
import type { App, AppContext } from '../../types.js';
import { CodeParams } from '../catalog/params.js';
import { refusals } from '../schemas.js';

const tags = ['sharing: open data'];

/** Open data (数据开放): licences of 有条件开放 resources, and which items an open resource releases. */
export async function openDataRoutes(app: App, { store, audit }: AppContext): Promise<void> {
  app.post(
    '/api/v1/resources/:code/licence-acceptance',
    {
      schema: {
        tags,
        summary: 'Accept the licence of a 有条件开放 resource (any registered account)',
        params: CodeParams,
        response: { 200: LicenceAcceptanceSchema, ...refusals },
      },
    },
    async (request) => {
      const accepted = await acceptLicence(store.db, request.actor, request.params.code);
      await recordEvent(
        audit,
        request,
        'licence.accepted',
        { resourceCode: accepted.resourceCode, licence: accepted.licence },
        { resources: [accepted.resourceCode] },
      );
      return accepted;
    },
  );

  app.get(
    '/api/v1/resources/:code/open-release',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Which items an open resource releases, and masked how',
        params: CodeParams,
        response: { 200: OpenReleaseSchema, ...refusals },
      },
    },
    async (request) => getOpenRelease(store.db, request.actor, request.params.code),
  );

  app.put(
    '/api/v1/resources/:code/open-release',
    {
      schema: {
        tags,
        summary: 'Set the items an open resource releases (provider’s steward); personal items only masked',
        params: CodeParams,
        body: OpenReleaseInputSchema,
        response: { 200: OpenReleaseSchema, ...refusals },
      },
    },
    async (request) => {
      const release = await setOpenRelease(store.db, request.actor, request.params.code, request.body);
      await recordEvent(
        audit,
        request,
        'open_release.updated',
        { resourceCode: release.resourceCode, items: release.items.map((i) => `${i.name}:${i.mask.kind}`) },
        { resources: [release.resourceCode] },
      );
      return release;
    },
  );
}
