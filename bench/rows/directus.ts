// Directus as a peer of bench/rows (placeholder until it is tried: see BENCHMARKS.md).
/** A peer's runs, or why there are none. */
export interface Peer {
  skipped?: string;
  runs: Array<{ name: string; url: string; headers: Record<string, string>; paths: string[]; baselinePaths: string[] }>;
  stop(): Promise<void>;
}

/** Directus over bench_rows.people when installed; skipped otherwise. */
export async function directusPeer(_connections: number): Promise<Peer> {
  return { skipped: 'not tried yet', runs: [], stop: async () => undefined };
}
