import type { Kysely } from 'kysely';
import { recordAuditCommit, watchAuditQueue } from '../observability/index.js';
import type { Database } from '../store/index.js';
import { type AuditEvent, type PreparedEvent, prepareEvent } from './entry.js';
import { AuditUnavailableError } from './errors.js';
import { type Head, lockHead, writeHead } from './head.js';
import type { NoteSigner } from './note.js';
import { type StoredCheckpoint, signHead } from './sign-checkpoint.js';
import { type Appended, applyBatch, planBatch, sumAdjustments, type UsageAdjustment } from './write-batch.js';

/** How the appender batches and when it signs. */
export interface AppenderOptions {
  origin: string;
  signer: NoteSigner;
  /** Sign a checkpoint once this many entries have been appended since the last (0: never by count). */
  checkpointEvery: number;
  /** The most entries one transaction carries. */
  maxBatch: number;
}

interface Pending {
  event: PreparedEvent;
  /** The usage change durable with this entry, in the same statement. */
  usage?: UsageAdjustment;
  /** When it was queued (performance.now()), for the readiness check's "stuck" test. */
  queuedAt: number;
  resolve: (appended: Appended) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: appends that arrive while a transaction is in flight wait and go together in
 * the next one, so a burst of N concurrent appends costs a few commits, not N. Each promise
 * resolves only after the transaction holding its entry has committed.
 */
export class GroupCommitAppender {
  private queue: Pending[] = [];
  /** The head as this process last wrote it; stale when another process appended since. */
  private head: Head | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  /** When the commit in flight started (performance.now()), undefined between commits. */
  private committingSince: number | undefined;
  private readonly unwatch: () => void;
  private readonly committed = new Set<() => void>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: AppenderOptions,
  ) {
    this.unwatch = watchAuditQueue(() => this.queue.length);
  }

  /**
   * For the readiness check: whether it still takes appends, how many wait, and how long the
   * oldest has waited (a commit that hangs shows here before any request times out).
   */
  state(): { closed: boolean; queueDepth: number; oldestWaitMs: number } {
    const now = performance.now();
    const since = Math.min(this.queue[0]?.queuedAt ?? now, this.committingSince ?? now);
    return { closed: this.closed, queueDepth: this.queue.length, oldestWaitMs: now - since };
  }

  /**
   * Appends one event; resolves with its index and leaf hash once durable, rejects with
   * AuditUnavailableError otherwise. `usage` is written with it, in the same statement, or not at all.
   */
  append(event: AuditEvent, usage?: UsageAdjustment): Promise<Appended> {
    if (!usage) return this.appendMany([event]).then((all) => all[0]!);
    if (this.closed) return Promise.reject(new AuditUnavailableError(new Error('the audit log is closed')));
    let prepared: PreparedEvent;
    try {
      prepared = prepareEvent(event);
    } catch (error) {
      return Promise.reject(error);
    }
    const appended = new Promise<Appended>((resolve, reject) =>
      this.queue.push({ event: prepared, usage, queuedAt: performance.now(), resolve, reject }),
    );
    this.kick();
    return appended;
  }

  /** Appends events in order (the bulk path: they share transactions of up to maxBatch entries). */
  appendMany(events: readonly AuditEvent[]): Promise<Appended[]> {
    if (this.closed) return Promise.reject(new AuditUnavailableError(new Error('the audit log is closed')));
    let prepared: PreparedEvent[];
    try {
      prepared = events.map(prepareEvent);
    } catch (error) {
      return Promise.reject(error);
    }
    const promises = prepared.map(
      (event) =>
        new Promise<Appended>((resolve, reject) =>
          this.queue.push({ event, queuedAt: performance.now(), resolve, reject }),
        ),
    );
    this.kick();
    return Promise.all(promises);
  }

  /** Signs a checkpoint now if entries were appended since the last one. */
  async checkpoint(): Promise<StoredCheckpoint | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const head = await lockHead(trx);
      if (head.frontier.size === head.checkpointSize) return undefined;
      const signed = await signHead(trx, head, this.options.origin, this.options.signer);
      await writeHead(trx, signed.head);
      this.head = undefined;
      return signed.checkpoint;
    });
  }

  /** Waits for every queued append to settle. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Refuses new appends and waits for the queued ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    this.unwatch();
  }

  private kick(): void {
    // One turn of the event loop before the first commit lets the appends of concurrent requests
    // join it: on PGlite, whose statements run one at a time, a commit could otherwise never
    // overlap an arriving append, and every request paid a commit of its own.
    this.running ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .finally(() => {
        this.running = undefined;
        if (this.queue.length > 0) this.kick();
      });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) await this.commit(this.queue.splice(0, this.options.maxBatch));
  }

  /** Calls `listener` after each commit of this process's entries; returns how to stop. */
  onCommit(listener: () => void): () => void {
    this.committed.add(listener);
    return () => this.committed.delete(listener);
  }

  /**
   * Optimistic first: plan against the head this process last wrote and apply in one statement.
   * If another writer (another process on the same PostgreSQL) moved the head, lock it with
   * SELECT … FOR UPDATE and apply against what it really is, which cannot fail the same way.
   */
  private async commit(batch: Pending[]): Promise<void> {
    const events = batch.map((p) => p.event);
    const usage = sumAdjustments(batch.map((p) => p.usage));
    const policy = {
      origin: this.options.origin,
      signer: this.options.signer,
      every: this.options.checkpointEvery,
    };
    const started = performance.now();
    this.committingSince = started;
    try {
      let plan = this.head ? planBatch(this.head, events, policy) : undefined;
      if (!plan || !(await applyBatch(this.db, plan, usage))) {
        plan = await this.db.transaction().execute(async (trx) => {
          const locked = planBatch(await lockHead(trx), events, policy);
          if (!(await applyBatch(trx, locked, usage))) throw new Error('the audit head moved while locked');
          return locked;
        });
      }
      this.head = plan.head;
      recordAuditCommit(batch.length, true, (performance.now() - started) / 1000);
      for (const [i, p] of batch.entries()) p.resolve(plan.appended[i]!);
      // A listener's failure is its own: the entries are durable whatever it does.
      for (const listener of this.committed)
        try {
          listener();
        } catch {}
    } catch (error) {
      recordAuditCommit(batch.length, false, (performance.now() - started) / 1000);
      this.head = undefined;
      const failure = new AuditUnavailableError(error);
      for (const p of batch) p.reject(failure);
    } finally {
      this.committingSince = undefined;
    }
  }
}
