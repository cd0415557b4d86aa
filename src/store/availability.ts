import { ServiceUnavailableError } from '../errors/index.js';

// SQLSTATE classes and driver codes that mean the connection to the store is gone or refused:
// 08 connection exception, 57P01–57P03 admin/crash shutdown or cannot connect now, 53300 too
// many connections, 55000 the database does not accept connections (ALLOW_CONNECTIONS false).
const SQLSTATE = /^(08...|57P0[1-3]|53300|55000)$/;
const NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
const MESSAGES =
  /Connection terminated|Client has encountered a connection error|connection timeout|not queryable|Client was closed/i;

// pg-pool's message when every connection is busy past connectionTimeoutMillis: congestion, not
// an outage (a silent server fails a new connection with "Connection terminated due to connection timeout").
const POOL_FULL = /timeout exceeded when trying to connect/;

/** Whether a checkout failed only because every connection of the pool stayed busy. */
export function isPoolSaturated(error: unknown): boolean {
  return error instanceof Error && POOL_FULL.test(error.message);
}

/** Whether an error from the metadata store means "the store is away", as opposed to a bad statement. */
export function isStoreConnectionError(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (SQLSTATE.test(code) || NODE_CODES.has(code))) return true;
  return typeof message === 'string' && MESSAGES.test(message);
}

/** 503 `store_unavailable`: the metadata store does not answer; nothing is served without it. */
export class StoreUnavailableError extends ServiceUnavailableError {
  constructor(cause?: unknown) {
    super('store_unavailable', 'The metadata store does not answer; try again shortly', 2);
    // Kept for the server's own log; never shown to a client (it may name the host).
    this.cause = cause;
  }
}

/**
 * Whether the metadata store answers, as the server last saw it. A connection error marks it
 * down; a probe then runs every `probeMs` until a `select 1` succeeds, so the server reconnects
 * by itself and serves again within a probe of the store's return. PGlite is always up.
 */
export class StoreAvailability {
  private down = false;
  private probing = false;
  private listeners: Array<(up: boolean, error?: unknown) => void> = [];

  constructor(
    private readonly probe?: () => Promise<void>,
    private readonly probeMs = 500,
  ) {}

  /** True unless a connection error was seen and no probe has succeeded since. */
  get up(): boolean {
    return !this.down;
  }

  /** Calls `listener` whenever the store goes down or comes back (for the server's log). */
  onChange(listener: (up: boolean, error?: unknown) => void): void {
    this.listeners.push(listener);
  }

  /** Marks the store down when `error` is a connection error; returns whether it was one. */
  report(error: unknown): boolean {
    if (!this.probe || !isStoreConnectionError(error)) return false;
    if (!this.down) {
      this.down = true;
      for (const l of this.listeners) l(false, error);
    }
    this.startProbing();
    return true;
  }

  /** Stops probing (on close). */
  stop(): void {
    this.probing = false;
  }

  private startProbing(): void {
    if (this.probing || !this.probe) return;
    this.probing = true;
    const probe = this.probe;
    const tick = () => {
      if (!this.probing) return;
      probe().then(
        () => {
          this.probing = false;
          this.down = false;
          for (const l of this.listeners) l(true);
        },
        () => setTimeout(tick, this.probeMs).unref(),
      );
    };
    setTimeout(tick, Math.min(this.probeMs, 100)).unref();
  }
}
