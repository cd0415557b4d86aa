import type { Selectable } from 'kysely';
import { BadRequestError, issueProblem } from '../errors/index.js';
import type { SourceTable } from '../store/index.js';
import { secretOf } from './connector-for.js';
import { encryptSecret } from './credentials.js';
import type { SourceRuntime } from './runtime.js';
import type { CreateSourceInput, UpdateSourceInput } from './schemas.js';
import { DatabaseConfigSchema, HttpJsonConfigSchema, type SourceSecret } from './source-config.js';

const SECRET_FIELDS = ['password', 'authHeaderValue'] as const;
const NOT_CONFIG = new Set(['kind', 'name', 'description', 'orgId', 'createdBy', ...SECRET_FIELDS]);

/** Splits a create request into the options stored in clear and the credentials to seal. */
export function splitInput(input: CreateSourceInput): {
  config: Record<string, unknown>;
  secret: SourceSecret;
} {
  const config = Object.fromEntries(Object.entries(input).filter(([k]) => !NOT_CONFIG.has(k)));
  const secret: SourceSecret = {};
  if ('password' in input && input.password) secret.password = input.password;
  if ('authHeaderValue' in input && input.authHeaderValue) secret.authHeaderValue = input.authHeaderValue;
  return { config, secret };
}

/** Seals credentials for storage, with the names of those present; nothing to seal is a null secret. */
export async function sealSecret(
  runtime: SourceRuntime,
  sourceId: string,
  secret: SourceSecret,
): Promise<{ secret: string | null; fields: string[] }> {
  const fields = SECRET_FIELDS.filter((f) => secret[f] !== undefined);
  if (fields.length === 0) return { secret: null, fields: [] };
  return { secret: encryptSecret(await runtime.key(), sourceId, secret), fields };
}

/**
 * The options after an update, validated against the source's kind (an option of another kind is
 * a 400), and the new credentials when the update touches them (undefined when it does not).
 */
export async function updatedConfig(
  runtime: SourceRuntime,
  row: Selectable<SourceTable>,
  input: UpdateSourceInput,
): Promise<{ config: Record<string, unknown>; secret: SourceSecret | undefined }> {
  const changes = Object.fromEntries(
    Object.entries(input).filter(([k, v]) => !NOT_CONFIG.has(k) && v !== undefined),
  );
  const current = row.config as Record<string, unknown>;
  if (row.kind === 'file' && Object.keys(changes).length > 0)
    throw new BadRequestError(
      'invalid_source_config',
      'A file source has no connection options; upload a new file',
    );
  const schema = row.kind === 'http_json' ? HttpJsonConfigSchema : DatabaseConfigSchema;
  const parsed =
    row.kind === 'file'
      ? { success: true as const, data: current }
      : schema.safeParse({ ...current, ...changes });
  if (!parsed.success)
    throw new BadRequestError(
      'invalid_source_config',
      `These options do not fit a ${row.kind} source`,
      parsed.error.issues.map((i) => issueProblem(i.path.join('.'), i)),
    );
  const touched = SECRET_FIELDS.filter((f) => input[f] !== undefined);
  const allowed = row.kind === 'http_json' ? 'authHeaderValue' : 'password';
  if (touched.some((f) => f !== allowed))
    throw new BadRequestError(
      'invalid_source_config',
      `A ${row.kind} source takes only ${allowed} as a credential`,
    );
  // Stored credentials never follow the source to a new endpoint: whoever may edit the host
  // must not be able to have the platform send the old password to a server of their choosing.
  if (row.secret_fields.length > 0 && touched.length === 0 && movesEndpoint(row.kind, current, parsed.data))
    throw new BadRequestError(
      'credentials_required',
      `Changing where the source points needs its ${allowed} again (or null to drop it)`,
    );
  if (touched.length === 0) return { config: parsed.data, secret: undefined };
  const secret: SourceSecret = { ...(await secretOf(runtime, row)) };
  for (const field of touched) {
    const value = input[field];
    if (value === null) delete secret[field];
    else if (value !== undefined) secret[field] = value;
  }
  return { config: parsed.data, secret };
}

function movesEndpoint(
  kind: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): boolean {
  if (kind === 'http_json')
    return (
      new URL(String(before.url)).origin !== new URL(String(after.url)).origin ||
      before.authHeaderName !== after.authHeaderName
    );
  return ['host', 'port', 'user', 'database'].some((k) => before[k] !== after[k]);
}
