import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { type AuditEvent, type PreparedEvent, prepareEvent } from './entry.js';
import { AuditUnavailableError } from './errors.js';
import { lockHead, writeHead } from './head.js';
import type { NoteSigner } from './note.js';
import { type StoredCheckpoint, signHead } from './sign-checkpoint.js';
import { type Appended, writeBatch } from './write-batch.js';

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
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: AppenderOptions,
  ) {}

  /** Appends one event; resolves with its index and leaf hash once durable, rejects with AuditUnavailableError otherwise. */
  append(event: AuditEvent): Promise<Appended> {
    return this.appendMany([event]).then((all) => all[0]!);
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
      (event) => new Promise<Appended>((resolve, reject) => this.queue.push({ event, resolve, reject })),
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
  }

  private kick(): void {
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) await this.commit(this.queue.splice(0, this.options.maxBatch));
  }

  private async commit(batch: Pending[]): Promise<void> {
    const { origin, signer, checkpointEvery } = this.options;
    try {
      const appended = await this.db.transaction().execute(async (trx) => {
        const written = await writeBatch(
          trx,
          await lockHead(trx),
          batch.map((p) => p.event),
        );
        let head = written.head;
        if (checkpointEvery > 0 && head.frontier.size - head.checkpointSize >= checkpointEvery) {
          head = (await signHead(trx, head, origin, signer)).head;
        }
        await writeHead(trx, head);
        return written.appended;
      });
      for (const [i, p] of batch.entries()) p.resolve(appended[i]!);
    } catch (error) {
      const failure = new AuditUnavailableError(error);
      for (const p of batch) p.reject(failure);
    }
  }
}
