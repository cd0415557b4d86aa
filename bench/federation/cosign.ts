// bench/federation, BENCH_MODE=cosign: witnessed logs (联邦见证) across three platform processes,
// the national node (root) and two provinces, 浙江 and 福建, each witnessing the other two. Each
// round makes an audited change on 浙江 and waits for 浙江's log to sign a checkpoint that holds it;
// from the moment 浙江 serves that checkpoint, how long until the root publishes it (or a later
// tree) with the cosignatures of both its witnesses, the national node and 福建. Rounds start at
// a random moment of the witness interval, as a checkpoint would. Then the CPU time of what one
// cosignature costs the witness and the root (the signature checks, the consistency proof, the
// Ed25519 cosignature), measured in this process on a real checkpoint and proof from 浙江.
import { generateKeyPairSync } from 'node:crypto';
import { loadavg } from 'node:os';
import { openCheckpoint, rawPublicKey, verifierFromVkey, verifyConsistency } from '../../src/audit/index.js';
import { cosign, noteBody, verifyCosignature } from '../../src/federation/cosign.js';
import { call } from '../../test/multiprocess/server-process.js';
import { fixed, row } from '../support/load.js';
import { type BenchNode, Federation, FUJIAN, must, NATIONAL, ZHEJIANG } from './nodes.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const INTERVALS = (process.env.BENCH_WITNESS_SECONDS ?? '1,10').split(',').map(Number);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** The size of the checkpoint a node serves now, and its note. */
async function checkpointOf(node: BenchNode): Promise<{ size: number; note: string }> {
  const answer = await fetch(`${node.url}/api/v1/audit/checkpoint/note`);
  if (!answer.ok) return { size: 0, note: '' };
  const note = await answer.text();
  return { size: Number(note.split('\n')[1]), note };
}

/** What the root publishes of `nodeId`'s log: its tree size and the witnesses that cosigned it. */
async function published(root: BenchNode, nodeId: string): Promise<{ size: number; witnesses: string[] }> {
  const all = (
    await must(call(root.url, undefined, 'GET', '/api/v1/federation/witness/checkpoints'), 'published')
  ).items as Array<{ nodeId: string; treeSize: number; witnesses: string[] }>;
  const log = all.find((c) => c.nodeId === nodeId);
  return { size: log?.treeSize ?? 0, witnesses: log?.witnesses ?? [] };
}

/** Per round: seconds from 浙江's change to its checkpoint, and from there to the root's publication. */
async function rounds(
  seconds: number,
): Promise<{ signed: number[]; published: number[]; load: number; evidence: Evidence }> {
  const federation = new Federation({
    HUITONG_FEDERATION_WITNESS_SECONDS: String(seconds),
    // 浙江's log signs a checkpoint within a second of a change (the default is 10 s): the figure
    // starts when the checkpoint is served, so this only shortens the run.
    HUITONG_AUDIT_CHECKPOINT_SECONDS: '1',
  });
  try {
    const national = await federation.root(NATIONAL);
    const { node: zhejiang } = await federation.member(national, national, ZHEJIANG);
    await federation.member(national, national, FUJIAN);
    const witnesses = ['cn-100000', 'fj-350000'];
    // The first checkpoints seen (first sight) before the measured rounds.
    for (let p = await published(national, 'zj-330000'); p.witnesses.length < 2; ) {
      await pause(200);
      p = await published(national, 'zj-330000');
    }
    let first = '';
    const signed: number[] = [];
    const publishedAfter: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await pause(Math.random() * seconds * 1000);
      const held = await checkpointOf(zhejiang);
      const before = held.size;
      first ||= held.note;
      const changed = performance.now();
      await must(
        call(zhejiang.url, zhejiang.admin, 'POST', '/api/v1/organizations', {
          name: `见证基准${seconds}-${round}`,
          kind: 'department',
          level: 'provincial',
          regionCode: '330000',
        }),
        'organisation',
      );
      let size = before;
      while (size <= before) {
        await pause(20);
        size = (await checkpointOf(zhejiang)).size;
      }
      const served = performance.now();
      for (;;) {
        const p = await published(national, 'zj-330000');
        if (p.size >= size && witnesses.every((w) => p.witnesses.includes(w))) break;
        await pause(50);
      }
      signed.push((served - changed) / 1000);
      publishedAfter.push((performance.now() - served) / 1000);
    }
    const load = loadavg()[0]!;
    return { signed, published: publishedAfter, load, evidence: await evidenceFrom(zhejiang, first) };
  } finally {
    await federation.close();
  }
}

/** Two checkpoints of one log, the proof that the second extends the first, and the log's key. */
interface Evidence {
  vkey: string;
  origin: string;
  old: string;
  note: string;
  proof: Buffer[];
}

/** Fetches from `node` its key, its checkpoint now, and the proof from the checkpoint `old`. */
async function evidenceFrom(node: BenchNode, old: string): Promise<Evidence> {
  const { vkey, origin } = (await (await fetch(`${node.url}/api/v1/audit/public-key`)).json()) as {
    vkey: string;
    origin: string;
  };
  const note = (await checkpointOf(node)).note;
  const [from, to] = [old, note].map((n) => Number(n.split('\n')[1]));
  const { path } = (await (
    await fetch(`${node.url}/api/v1/audit/proof/consistency?from=${from}&to=${to}`)
  ).json()) as { path: string[] };
  return { vkey, origin, old, note, proof: path.map((p) => Buffer.from(p, 'base64')) };
}

/**
 * CPU time of one cosignature in µs, as the witness spends it (the log's signature on the new
 * checkpoint, the consistency proof from the one it saw, the Ed25519 cosignature) and as the root
 * spends it (the log's signature, the cosignature). HTTP and the store's writes are not in it.
 */
function cosignCost(e: Evidence): { witness: number; root: number } {
  const verifier = verifierFromVkey(e.vkey);
  const seen = openCheckpoint(e.old, verifier, e.origin);
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKey = rawPublicKey(privateKey);
  const name = 'witness.huitong/fj-350000';
  const N = 2000;
  let line = '';
  const cpu = (fn: () => void) => {
    for (let i = 0; i < 100; i++) fn(); // warm-up
    const start = process.cpuUsage();
    for (let i = 0; i < N; i++) fn();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / N;
  };
  const witness = cpu(() => {
    const offered = openCheckpoint(e.note, verifier, e.origin);
    if (!verifyConsistency(seen.size, offered.size, seen.root, offered.root, e.proof))
      throw new Error('the consistency proof does not verify');
    line = cosign(noteBody(e.note), name, privateKey, Math.floor(Date.now() / 1000));
  });
  const root = cpu(() => {
    openCheckpoint(e.note, verifier, e.origin);
    if (verifyCosignature(line, noteBody(e.note), name, publicKey) === undefined)
      throw new Error('the cosignature does not verify');
  });
  return { witness, root };
}

/** Cosigning of a checkpoint across three nodes (BENCH_MODE=cosign). */
export async function benchCosign(): Promise<void> {
  const results: Array<[number, Awaited<ReturnType<typeof rounds>>]> = [];
  for (const seconds of INTERVALS) results.push([seconds, await rounds(seconds)]);
  console.log(
    `Cosigning: three nodes (the national node, the root; 浙江 and 福建, provinces), each witnessing the two others. ${ROUNDS} rounds per witness interval: an audited change on 浙江, then seconds until 浙江 serves a checkpoint holding it, and from then until the root publishes that tree (or a later one) cosigned by both of 浙江's witnesses (\`GET /api/v1/federation/witness/checkpoints\`, polled every 50 ms)`,
  );
  console.log(
    row([
      'Witness interval',
      'rounds',
      'change → checkpoint, median s',
      'checkpoint → published with 2 cosignatures: median s',
      'min s',
      'max s',
      'load average',
    ]),
  );
  console.log(row(['---:', '---:', '---:', '---:', '---:', '---:', '---:']));
  for (const [seconds, r] of results)
    console.log(
      row([
        `${seconds} s`,
        r.published.length,
        fixed(median(r.signed), 2),
        fixed(median(r.published), 2),
        fixed(Math.min(...r.published), 2),
        fixed(Math.max(...r.published), 2),
        fixed(r.load),
      ]),
    );
  const cost = cosignCost(results[0]![1].evidence);
  console.log(
    `> CPU per cosignature, measured in the benchmark's process on 浙江's real checkpoints (the mean of 2,000): the witness ${fixed(cost.witness, 0)} µs (the log's signature, the consistency proof over ${results[0]![1].evidence.proof.length} hashes, the Ed25519 cosignature), the root ${fixed(cost.root, 0)} µs (the log's signature and the cosignature); HTTP and the store's writes come on top.`,
  );
}
