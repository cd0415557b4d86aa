import type { Page, PageQuery, Store } from '../store/index.js';
import { GroupCommitAppender } from './appender.js';
import { latestCheckpoint, listCheckpoints } from './checkpoints.js';
import type { AuditEvent } from './entry.js';
import { AuditUnavailableError } from './errors.js';
import { exportLog } from './export.js';
import { deadStarts } from './interrupted.js';
import { type AuditKey, loadOrCreateAuditKey } from './keys.js';
import { type AuditEntryView, type AuditQuery, getEntry, listEntries, streamEntries } from './queries.js';
import {
  type ReleaseDetails,
  type ReleaseOutcome,
  type ReleaseStart,
  releaseCompleteEvent,
  releaseEvent,
  releaseInterruptedEvent,
  releaseStartEvent,
} from './release.js';
import type { StoredCheckpoint } from './sign-checkpoint.js';
import {
  type ConsistencyProof,
  consistencyProof,
  type InclusionProof,
  inclusionProof,
  rootAt,
} from './store-proofs.js';
import { storeLogSource } from './store-source.js';
import { type VerifyOptions, type VerifyReport, verifyLog } from './verify-log.js';
import type { Appended, UsageAdjustment } from './write-batch.js';

/** The default origin (and key name) of the platform's log. */
export const DEFAULT_ORIGIN = 'huitong.local/audit';

/** How to open the log. */
export interface AuditLogOptions {
  /** Where `audit-ed25519.key` lives (created on first use); ignored when `key` is given. */
  dataDir?: string;
  key?: AuditKey;
  /** The checkpoint origin and key name, e.g. `gov.example.cn/huitong/audit`. */
  origin?: string;
  /** Sign a checkpoint after this many entries (default 1000; 0: only by time). */
  checkpointEvery?: number;
  /** Also sign one this often when entries are waiting (default 10 s; 0: off). */
  checkpointIntervalMs?: number;
  /** The most entries in one group commit (default 1000). */
  maxBatch?: number;
  /**
   * This process's name in the log (`huitong/<uuid>`, its application_name on PostgreSQL):
   * recorded in each release start, so that a later start can tell a dead process's open
   * release from a live one's.
   */
  instance?: string;
}

/** The platform's audit log over the metadata store. */
export interface AuditLog {
  readonly origin: string;
  /** The verifier key for standard tools: `<origin>+<key id>+<base64 key>`. */
  readonly vkey: string;
  /** Appends an event; resolves once it is durable, rejects with AuditUnavailableError (503) otherwise. */
  append(event: AuditEvent): Promise<Appended>;
  /** Appends events in order, in as few transactions as maxBatch allows. */
  appendMany(events: readonly AuditEvent[]): Promise<Appended[]>;
  /** Logs a release before its first byte leaves. */
  beginRelease(details: ReleaseDetails): Promise<ReleaseStart>;
  /**
   * Logs what a streamed release delivered; `usage` (the rows it charges or gives back) is written
   * in the same statement as the entry, so both are durable or neither.
   */
  completeRelease(start: ReleaseStart, outcome: ReleaseOutcome, usage?: UsageAdjustment): Promise<Appended>;
  /** Logs a release delivered whole, in one entry. */
  recordRelease(details: ReleaseDetails, outcome: ReleaseOutcome): Promise<Appended>;
  /** Signs a checkpoint now if there are entries since the last. */
  checkpoint(): Promise<StoredCheckpoint | undefined>;
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>;
  checkpoints(page: PageQuery): Promise<Page<StoredCheckpoint>>;
  inclusionProof(index: number, treeSize: number): Promise<InclusionProof>;
  consistencyProof(from: number, to: number): Promise<ConsistencyProof>;
  rootAt(treeSize: number): Promise<Buffer>;
  /** Entries matching a query; `desc` pages newest first. */
  entries(query: AuditQuery, page: PageQuery, order?: 'asc' | 'desc'): Promise<Page<AuditEntryView>>;
  entry(index: number): Promise<AuditEntryView | undefined>;
  streamEntries(query: AuditQuery): AsyncGenerator<AuditEntryView>;
  /** The whole log as NDJSON lines, for offline verification with verifyExport. */
  exportLog(): AsyncGenerator<string>;
  /** Verifies the whole stored log (`deep` also checks each entry's form and search columns). */
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  /** Streamed releases begun by this process and not yet completed. */
  openReleases(): number;
  /**
   * Calls `listener` after each commit of entries appended by this process (the early-warning
   * loop wakes on it); returns how to stop. Entries other processes append are not seen here.
   */
  onAppended(listener: () => void): () => void;
  /** The appender's state, for the readiness check: closed, entries waiting, the oldest's wait. */
  appenderState(): { closed: boolean; queueDepth: number; oldestWaitMs: number };
  /** From now on a stream that ends early is recorded as `cut` (the server's drain ran out), not `aborted`. */
  cutReleases(): void;
  /**
   * On start: writes an `interrupted` completion for every release start whose process died
   * before completing it (kill -9, power loss, OOM). Returns how many it closed.
   */
  closeInterruptedReleases(): Promise<number>;
  /**
   * Waits up to `releaseGraceMs` (default 2 s) for open streamed releases to write their
   * completion, writes a `cut` completion for any still open, waits for pending appends, signs
   * a last checkpoint and stops the timer.
   */
  close(options?: { releaseGraceMs?: number }): Promise<void>;
}

/** Opens the audit log of a store, loading or creating its signing key. */
export async function createAuditLog(store: Store, options: AuditLogOptions = {}): Promise<AuditLog> {
  const origin = options.origin ?? DEFAULT_ORIGIN;
  if (!options.key && !options.dataDir) throw new Error('createAuditLog needs a dataDir or a key');
  const key = options.key ?? (await loadOrCreateAuditKey(options.dataDir!, origin));
  if (key.signer.name !== origin) throw new Error(`the audit key is named ${key.signer.name}, not ${origin}`);
  const { db } = store;
  const appender = new GroupCommitAppender(db, {
    origin,
    signer: key.signer,
    checkpointEvery: options.checkpointEvery ?? 1000,
    maxBatch: options.maxBatch ?? 1000,
  });
  const intervalMs = options.checkpointIntervalMs ?? 10_000;
  // A failed timed checkpoint is retried on the next tick; appends still succeed without it.
  const timer =
    intervalMs > 0
      ? setInterval(() => void appender.checkpoint().catch(() => undefined), intervalMs)
      : undefined;
  timer?.unref();
  const instance = options.instance;
  // Streamed releases in flight, so that a shutdown can account for each before the log closes.
  const open = new Map<number, ReleaseStart>();
  const cutByClose = new Set<number>();
  let cutting = false;

  return {
    origin,
    vkey: key.vkey,
    append: (event) => appender.append(event),
    appendMany: (events) => appender.appendMany(events),
    beginRelease: async (details) => {
      const event = releaseStartEvent(details, instance);
      const { index, leafHash } = await appender.append(event);
      const start = {
        index,
        leafHash,
        actor: event.actor,
        requestId: event.requestId ?? null,
        resources: event.resources ?? [],
      };
      open.set(index, start);
      return start;
    },
    completeRelease: (start, outcome, usage) => {
      // Already closed as cut by close(): a second completion would contradict the first.
      if (cutByClose.has(start.index))
        return Promise.reject(new AuditUnavailableError(new Error('the release was cut at shutdown')));
      open.delete(start.index);
      const status = cutting && (outcome.status ?? 'complete') === 'aborted' ? 'cut' : outcome.status;
      return appender.append(releaseCompleteEvent(start, { ...outcome, status }), usage);
    },
    openReleases: () => open.size,
    appenderState: () => appender.state(),
    onAppended: (listener) => appender.onCommit(listener),
    cutReleases: () => {
      cutting = true;
    },
    closeInterruptedReleases: async () => {
      const dead = await deadStarts(db, store.kind, instance);
      if (dead.length === 0) return 0;
      await appender.appendMany(
        dead.map((s) =>
          releaseInterruptedEvent(s, 'interrupted', 'the server stopped before the release completed'),
        ),
      );
      return dead.length;
    },
    recordRelease: (details, outcome) => appender.append(releaseEvent(details, outcome)),
    checkpoint: () => appender.checkpoint(),
    latestCheckpoint: () => latestCheckpoint(db),
    checkpoints: (page) => listCheckpoints(db, page),
    inclusionProof: (index, treeSize) => inclusionProof(db, index, treeSize),
    consistencyProof: (from, to) => consistencyProof(db, from, to),
    rootAt: (treeSize) => rootAt(db, treeSize),
    entries: (query, page, order) => listEntries(db, query, page, order),
    entry: (index) => getEntry(db, index),
    streamEntries: (query) => streamEntries(db, query),
    exportLog: () => exportLog(db, origin, key.vkey),
    verify: async (opts = {}) => verifyLog(await storeLogSource(db, origin, key.vkey, opts.deep), opts),
    close: async (closeOptions = {}) => {
      if (timer) clearInterval(timer);
      cutting = true;
      const deadline = Date.now() + (closeOptions.releaseGraceMs ?? 2000);
      while (open.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      if (open.size > 0) {
        const stuck = [...open.values()];
        open.clear();
        for (const s of stuck) cutByClose.add(s.index);
        await appender
          .appendMany(stuck.map((s) => releaseInterruptedEvent(s, 'cut', 'the server shut down mid-stream')))
          .catch(() => undefined);
      }
      await appender.close();
      await appender.checkpoint().catch(() => undefined);
    },
  };
}
