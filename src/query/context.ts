import { createHmac } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { AuditLog } from '../audit/index.js';
import type { Actor } from '../identity/index.js';
import type { Access, VerificationLimits } from '../sharing/index.js';
import {
  type ChangeCapture,
  type Connector,
  type OpenCaptureOptions,
  openCapture,
  openSourceConnector,
  type SourceRuntime,
} from '../sources/index.js';
import type { Store } from '../store/index.js';
import { recipientOf, traceSecretFrom } from '../tracing/index.js';
import type { SandboxLimits } from './sandbox.js';
import { guardReads } from './source-failure.js';

/** What the query pipeline needs from the platform. */
export interface QueryContext {
  store: Store;
  audit: AuditLog;
  /** The connector of a registered source (pooled by the sources module). */
  connectorFor(sourceId: string): Promise<Connector>;
  /** A change capture over a registered source (subscriptions); absent where nothing is captured. */
  captureFor?(sourceId: string, options?: OpenCaptureOptions): Promise<ChangeCapture>;
  /** The platform secret from which per-consumer HMAC keys are derived. */
  maskSecret: Buffer;
  /**
   * The credentials key itself (HUITONG_SECRET_KEY or secret.key): it seals the sandbox answers
   * held for release review, as it seals the sources' passwords, so one key is backed up for both.
   */
  heldRowsKey: Buffer;
  /** The key of the leak-tracing marks (tracing/, docs/tracing.md), derived from the credentials key. */
  traceSecret: Buffer;
  sandbox: SandboxLimits;
  /** How many claims a consumer may verify per resource, a minute and a day. */
  verification: VerificationLimits;
  /** 可用不可见: the least source rows behind each released sandbox row (k; at least 10). */
  minGroupSize?: number;
  /** The least k of open data's k-anonymity gate (HUITONG_OPEN_DATA_MIN_K); 5 when absent. */
  openDataMinK?: number;
  /** Whether POST /query and the wire protocol push the SQL's conditions into sources (HUITONG_QUERY_PUSHDOWN); on when absent. */
  pushdown?: boolean;
  /** Whether CSV and Parquet exports of PostgreSQL resources stream from COPY (HUITONG_EXPORT_COPY); on when absent. */
  exportCopy?: boolean;
  /**
   * Reads another node's resource for POST /query (跨节点联合查询, remote-table.ts), set by the
   * transport that holds the federation; absent: a remote name in SQL is refused.
   */
  remote?: RemoteRows;
  /**
   * Rows of one remote resource a query may load at most (remote-table.ts MAX_REMOTE_ROWS when
   * absent), and rows asked per page (the provider's largest page, 1000, when absent).
   */
  remoteLimits?: { rows?: number; pageRows?: number };
}

/** One page asked of the provider node: the rows API's JSON page options. */
export interface RemotePageQuery {
  fields?: string;
  filter?: string;
  limit: number;
  cursor?: string;
}

/**
 * How this node reads another node's resource for a query (set by the transport layer, which
 * holds the federation; query/ never imports it): one page, as the provider released it, after
 * its signed receipt was checked and logged here.
 */
export interface RemoteRows {
  read(caller: Caller, nodeId: string, code: string, page: RemotePageQuery): Promise<string>;
}

/** Who asks, from where, in which request. */
export interface Caller {
  actor: Actor;
  ip: string;
  requestId: string;
  /** A safe request (GET): it must change no state, so it creates no automatic grant. */
  readOnly?: boolean;
}

/**
 * The HMAC key of a read. Through a grant, one per recipient — the application whatever key it
 * uses, or the person — so that its keyed hashes (pseudonyms) join across the resources granted
 * to it (the same ID number hashes alike in two datasets) but not with any other recipient's,
 * even of its own organisation: a leaked pseudonym names the one recipient it was made for
 * (issue 18, docs/tracing.md). Open data, which anyone reads (anonymous callers, and members
 * without a grant), gets a key per resource: one key shared by every open resource would let a
 * provider publish values it knows and read their hashes back as a dictionary for every other
 * open dataset.
 */
export function consumerHmacKey(
  ctx: QueryContext,
  actor: Actor,
  access: Pick<Access, 'mode' | 'resourceCode'>,
): Buffer {
  const recipient = access.mode === 'open' ? null : recipientOf(actor);
  const who = recipient ?? `open:${access.resourceCode}`;
  return createHmac('sha256', ctx.maskSecret).update(`mask-key:${who}`).digest();
}

/** Builds the pipeline's context over the platform's store, audit log and source runtime. */
export async function createQueryContext(options: {
  store: Store;
  audit: AuditLog;
  sources: SourceRuntime;
  sandbox: SandboxLimits;
  verification?: VerificationLimits;
  minGroupSize?: number;
  openDataMinK?: number;
  pushdown?: boolean;
  exportCopy?: boolean;
}): Promise<QueryContext> {
  await mkdir(options.sandbox.scratchRoot, { recursive: true });
  const key = await options.sources.key();
  return {
    store: options.store,
    audit: options.audit,
    // Every read through the pipeline answers a source's failure by its code only (source-failure.ts).
    connectorFor: async (sourceId) =>
      guardReads(await openSourceConnector(options.store.db, options.sources, sourceId)),
    captureFor: (sourceId, captureOptions) =>
      openCapture(options.store.db, options.sources, sourceId, captureOptions),
    // Derived, not the credentials key itself: a mask key that leaked would reveal nothing stored.
    maskSecret: createHmac('sha256', key).update('huitong mask keys v1').digest(),
    heldRowsKey: key,
    traceSecret: traceSecretFrom(key),
    sandbox: options.sandbox,
    verification: options.verification ?? { perMinute: 60, perDay: 1000 },
    minGroupSize: options.minGroupSize,
    openDataMinK: options.openDataMinK ?? 5,
    pushdown: options.pushdown ?? true,
    exportCopy: options.exportCopy ?? true,
  };
}
