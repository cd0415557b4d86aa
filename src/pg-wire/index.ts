// pg-wire/: the PostgreSQL wire protocol, a transport like http/: any PostgreSQL client connects,
// sees the resources granted to it as tables, and reads them through query/ (plan → enforce →
// execute → deliver, with their release entries). It calls query/ and identity/ only.

export { startPgWireFromConfig } from './from-config.js';
export { type PgWireOptions, type PgWireServer, startPgWire } from './server.js';
