import { type Checkpoint, openCheckpoint } from './checkpoint.js';
import { verifierFromVkey } from './note.js';
import { verifyConsistency } from './verify-proofs.js';

/** What a monitor fetches from the log: its latest checkpoint and a proof from the last one seen. */
export interface FetchedCheckpoint {
  /** The signed checkpoint note. */
  note: string;
  /** Consistency proof from `since` to the new size (empty when `since` is 0 or the size is unchanged). */
  proof: Uint8Array[];
}

/** Fetches the latest checkpoint and a consistency proof from `since` entries (0 when nothing was seen). */
export type CheckpointFetcher = (since: number) => Promise<FetchedCheckpoint>;

/** Why the monitor raised an alarm. */
export interface WatchAlarm {
  code: 'bad_signature' | 'shrunk' | 'fork' | 'inconsistent';
  message: string;
  previous?: Checkpoint;
  note: string;
}

/** One monitor step: checks a fetched checkpoint against the last one trusted; returns the new trusted one or an alarm. */
export function checkNext(
  previous: Checkpoint | undefined,
  fetched: FetchedCheckpoint,
  vkey: string,
  origin: string,
): { checkpoint: Checkpoint } | { alarm: WatchAlarm } {
  let checkpoint: Checkpoint;
  const alarm = (code: WatchAlarm['code'], message: string) => ({
    alarm: { code, message, previous, note: fetched.note },
  });
  try {
    checkpoint = openCheckpoint(fetched.note, verifierFromVkey(vkey), origin);
  } catch (error) {
    return alarm('bad_signature', (error as Error).message);
  }
  if (!previous || previous.size === 0) return { checkpoint };
  if (checkpoint.size < previous.size)
    return alarm('shrunk', `the log shrank from ${previous.size} to ${checkpoint.size}`);
  if (checkpoint.size === previous.size && !checkpoint.root.equals(previous.root)) {
    return alarm('fork', `two checkpoints of size ${checkpoint.size} with different roots`);
  }
  if (!verifyConsistency(previous.size, checkpoint.size, previous.root, checkpoint.root, fetched.proof)) {
    return alarm('inconsistent', `checkpoint ${checkpoint.size} is not consistent with ${previous.size}`);
  }
  return { checkpoint };
}

/** How to watch a log. */
export interface WatchOptions {
  fetch: CheckpointFetcher;
  vkey: string;
  origin: string;
  intervalMs: number;
  /** The checkpoint trusted at start (e.g. from the monitor's own storage). */
  trusted?: Checkpoint;
  onCheckpoint?: (checkpoint: Checkpoint) => void;
  onAlarm: (alarm: WatchAlarm) => void;
  /** A fetch that fails (network) is reported here, not as an alarm. */
  onError?: (error: unknown) => void;
}

/** A running monitor. */
export interface Watcher {
  /** Fetches and checks once now. */
  poll(): Promise<void>;
  stop(): void;
  readonly trusted: Checkpoint | undefined;
}

/**
 * Monitor mode: polls the log, checks every new checkpoint is signed and consistent with the last
 * one seen, and calls onAlarm otherwise. After an alarm the last trusted checkpoint is kept.
 */
export function watchLog(options: WatchOptions): Watcher {
  let trusted = options.trusted;
  let busy = false;
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const result = checkNext(
        trusted,
        await options.fetch(trusted?.size ?? 0),
        options.vkey,
        options.origin,
      );
      if ('alarm' in result) options.onAlarm(result.alarm);
      else {
        if (!trusted || result.checkpoint.size !== trusted.size) options.onCheckpoint?.(result.checkpoint);
        trusted = result.checkpoint;
      }
    } catch (error) {
      options.onError?.(error);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void poll(), options.intervalMs);
  return {
    poll,
    stop: () => clearInterval(timer),
    get trusted() {
      return trusted;
    },
  };
}
