import {
  AliasNode,
  DeleteQueryNode,
  InsertQueryNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  RawNode,
  type RootOperationNode,
  SelectQueryNode,
  TableNode,
  type UnknownRow,
  UpdateQueryNode,
} from 'kysely';

/**
 * The tables whose rows the hot path reads on every request (the caller's key, the resource, its
 * binding and source; between nodes, the federation's). A write to any of them, by this process,
 * empties the cache.
 */
const WATCHED = new Set([
  'api_keys',
  'applications',
  'resources',
  'classifications',
  'resource_bindings',
  'sources',
  // The delivery's leak-tracing settings and the objections that mark disputed rows (query/).
  'tracing_items',
  'objections',
  'objection_rows',
  // Every signed exchange between nodes (federation/): this node, the configuration it holds, the
  // peers' applications mirrored here, and the organisation a cross-node read names.
  'federation_node',
  'federation_config',
  'federation_peer_apps',
  'organizations',
]);

/** The most a read may be reused: invariant 2 of design.md allows a second past a change. */
export const MAX_READ_CACHE_MS = 1000;

function tableName(node: OperationNode | undefined): string | undefined {
  if (!node) return undefined;
  if (TableNode.is(node)) return node.table.identifier.name;
  if (AliasNode.is(node)) return tableName(node.node);
  return undefined;
}

const RAW_WRITE =
  /\b(?:insert\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+(?:"?\w+"?\.)?"?(\w+)"?/gi;

/** The tables a statement may change; `*` for anything that is neither a plain read nor a known write. */
export function writtenTables(node: RootOperationNode): string[] {
  if (SelectQueryNode.is(node)) return [];
  if (InsertQueryNode.is(node)) return [tableName(node.into) ?? '*'];
  if (UpdateQueryNode.is(node)) return [tableName(node.table) ?? '*'];
  if (DeleteQueryNode.is(node)) return node.from.froms.map((from) => tableName(from) ?? '*');
  if (RawNode.is(node)) {
    const text = node.sqlFragments.join(' ');
    return [...text.matchAll(RAW_WRITE)].map((m) => m[1]!.toLowerCase());
  }
  return ['*'];
}

interface Entry {
  value: unknown;
  expires: number;
}

/**
 * Reads of the hot path kept for under a second. Whatever this process writes to a watched table
 * empties it as the statement is sent and again when it has run; a read begun before a write is
 * not stored. What another process changes is seen within the time to live.
 */
export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  /** Loads in flight: concurrent misses of one key share one read (no stampede when an entry expires). */
  private readonly loading = new Map<string, { generation: number; value: Promise<unknown> }>();
  private generation = 0;

  constructor(private readonly ttlMs: number) {}

  /** The writes to watched tables in flight, emptied again once each has run. */
  private readonly writes = new WeakSet<object>();

  /** The plugin that watches this store's writes. */
  readonly plugin: KyselyPlugin = {
    transformQuery: (args: PluginTransformQueryArgs) => {
      if (writtenTables(args.node).some((t) => t === '*' || WATCHED.has(t))) {
        this.clear();
        this.writes.add(args.queryId);
      }
      return args.node;
    },
    transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => {
      if (this.writes.delete(args.queryId)) this.clear();
      return args.result;
    },
  };

  /** Empties the cache. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /** The value under `key` if read within the time to live, else `load()`'s (kept unless a write intervened). */
  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value as T;
    const generation = this.generation;
    // Joined only when begun since the last write: a read begun before a write is not shared after it.
    const inFlight = this.loading.get(key);
    if (inFlight && inFlight.generation === generation) return inFlight.value as Promise<T>;
    const loaded = load().then((value) => {
      if (generation === this.generation && value !== undefined) {
        this.entries.set(key, { value: freeze(value), expires: now + this.ttlMs });
      }
      return freeze(value);
    });
    this.loading.set(key, { generation, value: loaded });
    const forget = () => {
      if (this.loading.get(key)?.value === loaded) this.loading.delete(key);
    };
    loaded.then(forget, forget);
    return loaded;
  }
}

/** Shared values are frozen (one level into arrays and objects) so that no caller can alter another's. */
function freeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const field of Object.values(value)) {
      if (field && typeof field === 'object' && !(field instanceof Date)) Object.freeze(field);
    }
    Object.freeze(value);
  }
  return value;
}

// Keyed by the store's own Kysely handle: a transaction's handle is another object, so reads
// inside a transaction never use (nor fill) the cache.
const caches = new WeakMap<object, ReadCache>();

/** Attaches a cache to the handle it watches. */
export function attachReadCache(db: object, cache: ReadCache): void {
  caches.set(db, cache);
}

/**
 * A read through the store's cache when `db` is the store's own handle; inside a transaction (or
 * on a handle without one) it always reads.
 */
export function cachedRead<T>(db: object, key: string, load: () => Promise<T>): Promise<T> {
  const cache = caches.get(db);
  return cache ? cache.get(key, load) : load();
}
