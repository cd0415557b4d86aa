import type { Kysely } from 'kysely';
import { RELEASE_TYPES, streamEntries } from '../audit/index.js';
import { findResourceById, type ResourceView } from '../catalog/index.js';
import { BadRequestError } from '../errors/index.js';
import { identityNames, keyHolders } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { type LeakTable, readLeak } from './leak-file.js';
import { recipientOfEntry } from './recipient.js';
import type { Suspect, TraceReport } from './report-schema.js';
import { accuse, leakedBits, type Observation } from './score.js';
import { loadTracingSettings } from './settings.js';

type Db = Kysely<Database>;

/** The probability, at most, that any innocent recipient is accused by one trace. */
export const FALSE_ACCUSATION = 1e-6;
/** Suspects listed per resource (the accused always among them, being ranked first). */
const SHOWN = 20;

interface Match {
  resource: ResourceView;
  keyIndex: number;
  keyColumn: string;
  columns: Array<{ index: number; header: string; item: string; kind: 'number' | 'time'; step: number }>;
}

/** The resources whose key item and at least one tolerant item the leaked file's header names. */
async function matches(db: Db, table: LeakTable): Promise<Match[]> {
  const ids = await db.selectFrom('tracing_items').select('resource_id').distinct().execute();
  const found: Match[] = [];
  for (const { resource_id } of ids) {
    const resource = await findResourceById(db, resource_id);
    const settings = await loadTracingSettings(db, resource_id);
    if (!resource || !settings.keyItem) continue;
    const indexOf = (item: string) => {
      const field = resource.items.find((i) => i.name === item)?.field;
      return table.headers.findIndex((names) => names.includes(item) || (!!field && names.includes(field)));
    };
    const keyIndex = indexOf(settings.keyItem);
    if (keyIndex < 0) continue;
    const columns = settings.items.flatMap((s) => {
      const index = indexOf(s.item);
      return index < 0
        ? []
        : [{ index, header: table.headers[index]![0]!, item: s.item, kind: s.kind, step: s.tolerance }];
    });
    if (columns.length) found.push({ resource, keyIndex, keyColumn: table.headers[keyIndex]![0]!, columns });
  }
  return found;
}

function* observations(table: LeakTable, match: Match): Generator<Observation> {
  for (const row of table.rows) {
    const key = row[match.keyIndex];
    if (key === null || key === undefined || key === '') continue;
    for (const c of match.columns)
      yield {
        rowKey: String(key),
        item: c.item,
        value: row[c.index],
        tolerance: { kind: c.kind, step: c.step },
      };
  }
}

/** Every recipient of a release of the resource, with the entries that delivered it. */
async function recipients(db: Db, code: string) {
  const byRecipient = new Map<
    string,
    { orgId: string | null; keys: Set<string>; releases: Array<{ index: number; time: string }> }
  >();
  for await (const entry of streamEntries(db, {
    resource: code,
    type: [RELEASE_TYPES.start, RELEASE_TYPES.whole],
  })) {
    const recipient = recipientOfEntry(entry.actor);
    if (!recipient) continue;
    const known = byRecipient.get(recipient) ?? {
      orgId: entry.actor.orgId ?? null,
      keys: new Set<string>(),
      releases: [],
    };
    const keyId = entry.actor.kind === 'application' ? entry.actor.id.split('/')[1] : undefined;
    if (keyId) known.keys.add(keyId);
    known.releases.push({ index: entry.index, time: entry.time });
    byRecipient.set(recipient, known);
  }
  return byRecipient;
}

/**
 * Traces a leaked file (docs/tracing.md): reads it (CSV, XLSX or JSON, GBK detected), finds the
 * marked resources whose key and tolerant columns it holds, reads each observed cell's bit, and
 * scores every recipient of those resources' releases. A file that shares no such columns with
 * any release is `trace_no_match`, never a suspect.
 */
export async function traceLeak(
  db: Db,
  secret: Buffer,
  file: Buffer,
  epsilon = FALSE_ACCUSATION,
): Promise<TraceReport> {
  const table = await readLeak(file);
  const found = await matches(db, table);
  const resources: TraceReport['resources'] = [];
  const suspects: Suspect[] = [];
  for (const match of found) {
    const bits = leakedBits(secret, match.resource.id, observations(table, match));
    const known = await recipients(db, match.resource.code);
    if (bits.size === 0 || known.size === 0) continue;
    const result = accuse(secret, match.resource.id, bits, [...known.keys()], epsilon);
    resources.push({
      code: match.resource.code,
      name: match.resource.name,
      keyColumn: match.keyColumn,
      tolerantColumns: match.columns.map((c) => c.header),
      positions: result.positions,
      threshold: result.threshold,
      candidates: known.size,
    });
    for (const a of result.accusations.slice(0, SHOWN)) {
      const [kind, id] = a.recipient.split(':') as ['app' | 'user', string];
      const r = known.get(a.recipient)!;
      suspects.push({
        resource: match.resource.code,
        recipient: a.recipient,
        kind: kind === 'app' ? 'application' : 'user',
        id,
        name: null,
        organization: { id: r.orgId, name: null },
        keys: [...r.keys].map((id) => ({ id, name: null, createdBy: null })),
        score: a.score,
        innocentProbability: a.innocentProbability,
        accused: a.accused,
        releases: r.releases.slice(-50),
      });
    }
  }
  if (resources.length === 0)
    throw new BadRequestError(
      'trace_no_match',
      'The file has no key and tolerant column in common with any marked release: nothing to trace',
    );
  suspects.sort((a, b) => a.innocentProbability - b.innocentProbability || b.score - a.score);
  const names = await identityNames(db, {
    users: suspects.filter((s) => s.kind === 'user').map((s) => s.id),
    applications: suspects.filter((s) => s.kind === 'application').map((s) => s.id),
    organizations: suspects.flatMap((s) => (s.organization.id ? [s.organization.id] : [])),
  });
  const holders = await keyHolders(
    db,
    suspects.flatMap((s) => s.keys.map((k) => k.id)),
  );
  for (const s of suspects) {
    s.name = (s.kind === 'user' ? names.users[s.id] : names.applications[s.id]) ?? null;
    for (const k of s.keys) {
      k.name = holders[k.id]?.name ?? null;
      k.createdBy = holders[k.id]?.createdByName ?? null;
    }
    s.organization.name = s.organization.id ? (names.organizations[s.organization.id] ?? null) : null;
  }
  return {
    format: table.format,
    encoding: table.encoding,
    rows: table.rows.length,
    epsilon,
    resources,
    suspects,
  };
}
