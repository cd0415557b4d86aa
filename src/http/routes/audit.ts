import { Readable } from 'node:stream';
import { z } from 'zod';
import { entriesCsv } from '../../audit/index.js';
import { BadRequestError, NotFoundError } from '../../errors/index.js';
import { type AuthenticatedActor, authorize } from '../../identity/index.js';
import { encodeCursor, PageQuerySchema, pageSchema } from '../../store/index.js';
import type { App, AppContext } from '../types.js';
import { entryNames, NamesSchema } from './audit-names.js';
import { auditReleaseRoutes } from './audit-releases.js';
import { type EntryFilter, EntryFilterSchema, scopedQuery } from './audit-scope.js';
import { refusals } from './schemas.js';

const tags = ['audit'];
const b64 = (buffer: Buffer) => buffer.toString('base64');

const CheckpointSchema = z.object({
  treeSize: z.number().int(),
  rootHash: z.string().describe('base64 RFC 6962 root'),
  note: z.string().describe('C2SP signed note (tlog-checkpoint)'),
  createdAt: z.iso.datetime(),
});
const EntrySchema = z.object({
  index: z.number().int(),
  type: z.string(),
  time: z.string(),
  actor: z.object({ kind: z.string(), id: z.string(), orgId: z.string().nullable() }),
  requestId: z.string().nullable(),
  resources: z.array(z.string()),
  ref: z.number().int().nullable(),
  data: z.record(z.string(), z.unknown()),
});
/** The audit log: checkpoints and proofs for everyone, entries for auditors. */
export async function auditRoutes(app: App, { audit, store }: AppContext): Promise<void> {
  // A page in log order starts after `from`; newest first, below `to`. The other bound filters.
  const searchEntries = async (
    actor: AuthenticatedActor,
    filter: EntryFilter,
    page: { limit: number; cursor?: string },
    order: 'asc' | 'desc',
  ) => {
    const bound = order === 'asc' ? (filter.from ? filter.from - 1 : undefined) : filter.to;
    const start =
      page.cursor ?? (bound !== undefined ? encodeCursor({ key: '', id: String(bound) }) : undefined);
    const found = await audit.entries(
      scopedQuery(actor, filter),
      { limit: page.limit, cursor: start },
      order,
    );
    const outside = (e: { index: number }) =>
      order === 'asc'
        ? filter.to !== undefined && e.index >= filter.to
        : filter.from !== undefined && e.index < filter.from;
    const items = found.items.filter((e) => !outside(e));
    return { items, nextCursor: items.length < found.items.length ? null : found.nextCursor };
  };

  // An empty log has no checkpoint yet; signing one on demand lets a verifier start at once.
  const latest = async () => {
    const checkpoint = (await audit.latestCheckpoint()) ?? (await audit.checkpoint());
    if (!checkpoint) throw new NotFoundError('Checkpoint');
    return checkpoint;
  };

  app.get(
    '/api/v1/audit/public-key',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The log’s Ed25519 verifier key (C2SP vkey)',
        response: { 200: z.object({ origin: z.string(), vkey: z.string() }) },
      },
    },
    async () => ({ origin: audit.origin, vkey: audit.vkey }),
  );

  app.get(
    '/api/v1/audit/checkpoint',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The latest signed checkpoint',
        response: { 200: CheckpointSchema, ...refusals },
      },
    },
    async () => {
      const checkpoint = await latest();
      return {
        treeSize: checkpoint.treeSize,
        rootHash: b64(checkpoint.rootHash),
        note: checkpoint.note,
        createdAt: checkpoint.createdAt.toISOString(),
      };
    },
  );

  app.get(
    '/api/v1/audit/checkpoint/note',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The latest checkpoint as a bare C2SP signed note (text/plain), for standard tools',
        produces: ['text/plain'],
      },
    },
    async (_request, reply) => reply.type('text/plain; charset=utf-8').send((await latest()).note),
  );

  app.get(
    '/api/v1/audit/proof/inclusion',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'RFC 6962 inclusion proof of entry `index` in the tree of `size` entries',
        querystring: z.strictObject({
          index: z.coerce.number().int().min(0),
          size: z.coerce.number().int().min(1),
        }),
        response: {
          200: z.object({
            index: z.number(),
            treeSize: z.number(),
            leafHash: z.string(),
            path: z.array(z.string()),
          }),
          ...refusals,
        },
      },
    },
    async (request) => {
      const { index, size } = request.query;
      if (index >= size) throw new BadRequestError('invalid_proof_request', 'index must be below size');
      const proof = await audit.inclusionProof(index, size);
      return {
        index: proof.index,
        treeSize: proof.treeSize,
        leafHash: b64(proof.leafHash),
        path: proof.path.map(b64),
      };
    },
  );

  app.get(
    '/api/v1/audit/proof/consistency',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'RFC 6962 consistency proof between the trees of `from` and `to` entries',
        querystring: z.strictObject({
          from: z.coerce.number().int().min(1),
          to: z.coerce.number().int().min(1),
        }),
        response: {
          200: z.object({ from: z.number(), to: z.number(), path: z.array(z.string()) }),
          ...refusals,
        },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      if (from > to) throw new BadRequestError('invalid_proof_request', 'from must not exceed to');
      const proof = await audit.consistencyProof(from, to);
      return { from: proof.from, to: proof.to, path: proof.path.map(b64) };
    },
  );

  app.get(
    '/api/v1/audit/entries',
    {
      schema: {
        tags,
        summary:
          'Search entries by index range, type, actor, organisation, resource and time, with the names they mention (auditors; organisation administrators: their own organisation’s)',
        querystring: PageQuerySchema.extend(EntryFilterSchema.shape)
          .extend({
            order: z
              .enum(['asc', 'desc'])
              .default('asc')
              .describe('asc: log order (the default, for verification and export); desc: newest first'),
          })
          .strict(),
        response: { 200: pageSchema(EntrySchema).extend({ names: NamesSchema }), ...refusals },
      },
    },
    async (request) => {
      const actor = authorize(request.actor, 'audit.read');
      const { limit, cursor, order, ...filter } = request.query;
      const page = await searchEntries(actor, filter, { limit, cursor }, order);
      return { ...page, names: await entryNames(store.db, page.items) };
    },
  );

  app.get(
    '/api/v1/audit/entries.csv',
    {
      schema: {
        tags,
        summary: 'The same search as CSV, streamed (auditors)',
        querystring: EntryFilterSchema,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const actor = authorize(request.actor, 'audit.read');
      const filter = request.query;
      const entries = audit.streamEntries(scopedQuery(actor, filter));
      const bounded = (async function* () {
        for await (const entry of entries) {
          if (filter.from !== undefined && entry.index < filter.from) continue;
          if (filter.to !== undefined && entry.index >= filter.to) break;
          yield entry;
        }
      })();
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="audit-entries.csv"');
      return reply.send(Readable.from(entriesCsv(bounded)));
    },
  );

  app.get(
    '/api/v1/audit/entries/:index',
    {
      schema: {
        tags,
        summary: 'One entry with its inclusion proof in the latest checkpoint (auditors)',
        params: z.strictObject({ index: z.coerce.number().int().min(0) }),
        response: {
          200: z.object({
            entry: EntrySchema,
            checkpoint: CheckpointSchema.nullable(),
            proof: z.object({ leafHash: z.string(), path: z.array(z.string()) }).nullable(),
          }),
          ...refusals,
        },
      },
    },
    async (request) => {
      const actor = authorize(request.actor, 'audit.read');
      const entry = await audit.entry(request.params.index);
      if (!entry || (!actor.roles.includes('auditor') && entry.actor.orgId !== actor.orgId))
        throw new NotFoundError('Entry');
      const checkpoint = await audit.latestCheckpoint();
      const covered = checkpoint && checkpoint.treeSize > entry.index;
      const proof = covered ? await audit.inclusionProof(entry.index, checkpoint.treeSize) : undefined;
      return {
        entry,
        checkpoint: checkpoint
          ? {
              treeSize: checkpoint.treeSize,
              rootHash: b64(checkpoint.rootHash),
              note: checkpoint.note,
              createdAt: checkpoint.createdAt.toISOString(),
            }
          : null,
        proof: proof ? { leafHash: b64(proof.leafHash), path: proof.path.map(b64) } : null,
      };
    },
  );

  app.get(
    '/api/v1/audit/export.ndjson',
    {
      schema: {
        tags,
        summary:
          'The whole log as NDJSON (entries, checkpoints, key) for `huitong audit verify --file` (auditors)',
        produces: ['application/x-ndjson'],
      },
    },
    async (request, reply) => {
      authorize(request.actor, 'audit.verify');
      const lines = (async function* () {
        for await (const line of audit.exportLog()) yield `${line}\n`;
      })();
      reply
        .type('application/x-ndjson')
        .header('content-disposition', 'attachment; filename="audit-log.ndjson"');
      return reply.send(Readable.from(lines));
    },
  );

  app.post(
    '/api/v1/audit/verify',
    {
      schema: {
        tags,
        summary: 'Recompute the whole tree and check every checkpoint (auditors)',
        response: { 200: z.object({ ok: z.boolean(), report: z.unknown() }), ...refusals },
      },
    },
    async (request) => {
      authorize(request.actor, 'audit.verify');
      const report = await audit.verify();
      return { ok: report.ok, report };
    },
  );

  await auditReleaseRoutes(app, { audit, store });
}
