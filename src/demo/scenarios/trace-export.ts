import { route } from '../pending-routes.js';
import { codeOf, login, type ScenarioContext, type ScenarioOutcome } from './context.js';
import { rootFromInclusionProof } from './inclusion-proof.js';

interface Entry {
  index: number;
  type: string;
  actor: { kind: string; id: string; orgId: string | null };
  resources: string[];
  data: Record<string, unknown>;
}

interface EntryWithProof {
  entry: Entry;
  checkpoint: { treeSize: number; rootHash: string; note: string } | null;
  proof: { leafHash: string; path: string[] } | null;
}

const b64 = (s: string) => Buffer.from(s, 'base64');

/**
 * 溯源: an enterprise consumer exports granted data as CSV; the auditor finds the release in the
 * tamper-evident log and checks its inclusion proof against the signed checkpoint. Expected: the
 * entry names the export's resource and the proof recomputes the checkpoint's root.
 */
export async function traceExport(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const steps: string[] = [];
  const consumer = await login(ctx, 'llwl.analyst');
  const code = await codeOf(ctx, consumer, '企业纳税信息');
  const [method, path] = route('rows', { code });
  const response = await ctx.client.raw(consumer, method, `${path}?format=csv&limit=1000`);
  const csv = await response.text();
  if (!response.ok) throw new Error(`export refused: ${response.status} ${csv.slice(0, 200)}`);
  steps.push(
    `llwl.analyst (福建海峡冷链物流) exported ${code} 企业纳税信息 as CSV: ${csv.split('\n').length - 2} rows`,
  );

  const auditor = await login(ctx, 'sjj.auditor');
  const releases: Entry[] = [];
  for (const type of ['data.release', 'data.release.start']) {
    releases.push(...(await ctx.client.all<Entry>(auditor, `/api/v1/audit/entries?type=${type}`)));
  }
  const entry = releases.filter((e) => JSON.stringify(e).includes(code)).sort((a, b) => b.index - a.index)[0];
  if (!entry)
    return {
      name: 'trace-export',
      title: '溯源',
      ok: false,
      steps: [...steps, 'no release entry names the export'],
      evidence: {},
    };
  steps.push(
    `sjj.auditor found entry #${entry.index} (${entry.type}) by ${entry.actor.kind} ${entry.actor.id}`,
  );

  let detail: EntryWithProof | undefined;
  for (let attempt = 0; attempt < 30; attempt++) {
    // The checkpoint is signed every few seconds; the proof exists once one covers the entry.
    await ctx.checkpointNow?.();
    detail = await ctx.client.call<EntryWithProof>(auditor, 'GET', `/api/v1/audit/entries/${entry.index}`);
    if (detail.proof && detail.checkpoint) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (!detail?.proof || !detail.checkpoint) {
    return {
      name: 'trace-export',
      title: '溯源',
      ok: false,
      steps: [...steps, 'no checkpoint covers the entry yet'],
      evidence: { entry },
    };
  }
  const root = rootFromInclusionProof(
    entry.index,
    detail.checkpoint.treeSize,
    b64(detail.proof.leafHash),
    detail.proof.path.map(b64),
  );
  const ok = root?.equals(b64(detail.checkpoint.rootHash)) === true;
  steps.push(
    `inclusion proof: ${detail.proof.path.length} hashes up to the checkpoint of ${detail.checkpoint.treeSize} entries`,
  );
  steps.push(
    ok
      ? `recomputed root ${detail.checkpoint.rootHash} matches the signed checkpoint`
      : 'the proof does not reach the signed root',
  );
  steps.push(
    ...detail.checkpoint.note
      .trim()
      .split('\n')
      .map((l) => `  ${l}`),
  );
  return { name: 'trace-export', title: '溯源', ok, steps, evidence: { entry, proof: detail.proof } };
}
