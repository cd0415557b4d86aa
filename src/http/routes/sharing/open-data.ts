import type { FastifyRequest } from 'fastify';
import {
  applyOpenKGeneralisation,
  KPreviewInputSchema,
  KPreviewSchema,
  openReleaseCheck,
  previewOpenK,
} from '../../../query/index.js';
import {
  acceptLicence,
  getOpenRelease,
  LicenceAcceptanceSchema,
  OpenReleaseInputSchema,
  OpenReleaseSchema,
  type OpenReleaseView,
  setOpenRelease,
} from '../../../sharing/index.js';
import { recordEvent } from '../../audit-event.js';
import type { App, AppContext } from '../../types.js';
import { CodeParams } from '../catalog/params.js';
import { callerOf } from '../query.js';
import { refusals } from '../schemas.js';

const tags = ['sharing: open data'];

/** Open data (数据开放): licences of 有条件开放 resources, and which items an open resource releases. */
export async function openDataRoutes(app: App, { store, audit, config, query }: AppContext): Promise<void> {
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
    async (request) =>
      getOpenRelease(store.db, request.actor, request.params.code, config.HUITONG_OPEN_DATA_MIN_K),
  );

  app.put(
    '/api/v1/resources/:code/open-release',
    {
      schema: {
        tags,
        summary:
          'Set the items an open resource releases, and its k-anonymity gate (provider’s steward); personal items only masked',
        description:
          'A release that sends out a personal item must have a gate: quasiIdentifiers omitted, the proposed ones among the released items are applied with the platform minimum k (kAnonymityProposed: true in the answer); named as none, 400 quasi_identifiers_required. With a gate, the rows the release would send out are measured in the source first: below k it is refused (409 open_release_below_k, the smallest classes in the details) and nothing is stored.',
        params: CodeParams,
        body: OpenReleaseInputSchema,
        response: { 200: OpenReleaseSchema, ...refusals },
      },
    },
    async (request) => {
      const release = await setOpenRelease(store.db, request.actor, request.params.code, request.body, {
        minK: config.HUITONG_OPEN_DATA_MIN_K,
        check: openReleaseCheck(query, callerOf(request)),
      });
      await updated(request, release);
      return release;
    },
  );

  app.post(
    '/api/v1/resources/:code/open-release/k-preview',
    {
      schema: {
        tags,
        summary: 'The live k of an open release and the least generalisation reaching k (provider’s steward)',
        description:
          'k is measured in the source over the rows the open release sends now (after masks), over the quasi-identifiers named; the smallest classes carry generalised values, shown to the provider’s steward only.',
        params: CodeParams,
        body: KPreviewInputSchema,
        response: { 200: KPreviewSchema, ...refusals },
      },
    },
    async (request) => previewOpenK(query, callerOf(request), request.params.code, request.body),
  );

  app.post(
    '/api/v1/resources/:code/open-release/generalise',
    {
      schema: {
        tags,
        summary:
          'Apply the least generalisation reaching k to the open release, with its gate (provider’s steward)',
        description: 'A generalisation that cannot reach k is refused: 409 k_not_reachable with the reason.',
        params: CodeParams,
        body: KPreviewInputSchema,
        response: { 200: OpenReleaseSchema, ...refusals },
      },
    },
    async (request) => {
      const { release } = await applyOpenKGeneralisation(
        query,
        callerOf(request),
        request.params.code,
        request.body,
      );
      await updated(request, release);
      return release;
    },
  );

  async function updated(request: FastifyRequest, release: OpenReleaseView): Promise<void> {
    await recordEvent(
      audit,
      request,
      'open_release.updated',
      {
        resourceCode: release.resourceCode,
        items: release.items.map((i) => `${i.name}:${i.mask.kind}`),
        quasiIdentifiers: release.kAnonymity?.quasiIdentifiers ?? [],
        k: release.kAnonymity?.k ?? 0,
      },
      { resources: [release.resourceCode] },
    );
  }
}
