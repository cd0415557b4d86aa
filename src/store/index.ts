export { isStoreConnectionError, StoreAvailability, StoreUnavailableError } from './availability.js';
export { LATEST_MIGRATION, migrate, migrateTo, schemaVersion } from './migrate.js';
export { MIGRATION_NAMES } from './migrations/index.js';
export { dropSchema, openStore, type Store, type StoreKind, type StoreOptions } from './open.js';
export {
  type CursorPosition,
  cursorDate,
  decodeCursor,
  encodeCursor,
  type Page,
  type PageQuery,
  PageQuerySchema,
  pageSchema,
  toPage,
} from './pagination.js';
export { cachedRead } from './read-cache.js';
export type * from './types.js';
