import type { Readable } from 'node:stream';
import { BadRequestError } from '../../errors/index.js';
import { authorize } from '../../identity/index.js';
import {
  type FileFormat,
  getSource,
  ImportedFileSchema,
  importFile,
  ReplaceFileQuerySchema,
  RetypeColumnsSchema,
  replaceFile,
  retypeFileColumns,
  sourceFacts,
  UploadQuerySchema,
} from '../../sources/index.js';
import { recordEvent } from '../audit-event.js';
import type { App, AppContext } from '../types.js';
import { IdParams, refusals } from './schemas.js';

const tags = ['sources'];

// The Content-Types an upload may have, and the format each implies.
const FORMATS: Record<string, FileFormat | undefined> = {
  'text/csv': 'csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.apache.parquet': 'parquet',
  'application/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/octet-stream': undefined,
};

const CHARSETS: Record<string, 'utf-8' | 'gbk' | 'gb18030'> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  gbk: 'gbk',
  gb2312: 'gbk',
  gb18030: 'gb18030',
};

/** The format and text encoding of an upload, from its query and Content-Type. */
function uploadFormat(
  contentType: string | undefined,
  query: { format?: FileFormat; encoding: 'auto' | 'utf-8' | 'gbk' | 'gb18030' },
) {
  const [mime = '', ...params] = (contentType ?? '').split(';').map((s) => s.trim().toLowerCase());
  const format = query.format ?? FORMATS[mime];
  if (!format)
    throw new BadRequestError(
      'unsupported_format',
      'Say the file’s format with ?format= (csv, xlsx, parquet, json, ndjson)',
    );
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8);
  const encoding =
    query.encoding === 'auto' && charset && CHARSETS[charset] ? CHARSETS[charset] : query.encoding;
  return { format, encoding };
}

/** File uploads (CSV, XLSX, Parquet, JSON, NDJSON) and corrections of their inferred types. */
export async function sourceFileRoutes(
  app: App,
  { store, audit, sources: runtime }: AppContext,
): Promise<void> {
  // A scope of its own: these parsers hand the body over as a stream (never buffered, up to
  // HUITONG_UPLOAD_LIMIT) and must not replace the JSON parser of every other route.
  await app.register(async (scope: App) => {
    scope.removeContentTypeParser('application/json');
    for (const type of Object.keys(FORMATS))
      scope.addContentTypeParser(type, (_request, payload, done) => done(null, payload));

    scope.post(
      '/api/v1/sources/files',
      {
        schema: {
          tags,
          summary:
            'Upload a file as a source: the body is the file (streamed); returns the inferred column types',
          querystring: UploadQuerySchema,
          response: { 201: ImportedFileSchema, ...refusals },
        },
      },
      async (request, reply) => {
        const actor = authorize(request.actor, 'source.manage');
        const orgId = request.query.orgId ?? actor.orgId;
        authorize(actor, 'source.manage', { orgId, noun: 'Organisation' });
        const { format, encoding } = uploadFormat(request.headers['content-type'], request.query);
        const imported = await importFile(store.db, runtime, request.body as Readable, {
          ...request.query,
          orgId,
          format,
          encoding,
          originalName: null,
          createdBy: actor.kind === 'user' ? actor.userId : null,
        });
        await recordEvent(audit, request, 'source.created', {
          ...sourceFacts(imported.source),
          format,
          rowCount: imported.rowCount,
          columns: imported.columns.map((c) => c.name),
        });
        return reply.code(201).send(imported);
      },
    );

    scope.put(
      '/api/v1/sources/:id/file',
      {
        schema: {
          tags,
          summary:
            'Upload a new version of a file source (the body is the file, streamed); subscriptions receive its differences by key',
          params: IdParams,
          querystring: ReplaceFileQuerySchema,
          response: { 200: ImportedFileSchema, ...refusals },
        },
      },
      async (request) => {
        const source = await getSource(store.db, request.params.id);
        authorize(request.actor, 'source.manage', { orgId: source.orgId, noun: 'Source' });
        const { format, encoding } = uploadFormat(request.headers['content-type'], request.query);
        const replaced = await replaceFile(store.db, runtime, source.id, request.body as Readable, {
          ...request.query,
          format,
          encoding,
        });
        await recordEvent(audit, request, 'source.file_replaced', {
          ...sourceFacts(replaced.source),
          format,
          rowCount: replaced.rowCount,
          columns: replaced.columns.map((c) => c.name),
        });
        return replaced;
      },
    );
  });

  app.patch(
    '/api/v1/sources/:id/columns',
    {
      schema: {
        tags,
        summary:
          'Correct a file source’s column types (re-cast into a new Parquet; type_cast_failed leaves the old)',
        params: IdParams,
        body: RetypeColumnsSchema,
        response: { 200: ImportedFileSchema, ...refusals },
      },
    },
    async (request) => {
      const source = await getSource(store.db, request.params.id);
      authorize(request.actor, 'source.manage', { orgId: source.orgId, noun: 'Source' });
      const retyped = await retypeFileColumns(store.db, runtime, source.id, request.body);
      await recordEvent(audit, request, 'source.retyped', {
        ...sourceFacts(retyped.source),
        columns: request.body.columns.map((c) => `${c.name}:${c.type}`),
      });
      return retyped;
    },
  );
}
