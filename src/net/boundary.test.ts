import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// What dependency-cruiser cannot see: node:net's Socket and the global fetch need no import.
// Outside these files, nothing in src/ may open a connection of its own.
const ALLOWED = new Set([
  'src/net/socket.ts', // the checked socket every SQL connector uses
  'src/cli/commands/audit.ts', // the operator's CLI fetching a checkpoint from a URL they give
  'src/cli/remote-audit.ts', // the operator's CLI reading the log through the server URL they give
  'src/cli/remote-api.ts', // the operator's CLI (huitong warning) calling the server URL they give
  'src/server/control.ts', // the CLI reaching its own server's Unix socket in the data directory
  // `huitong demo --federation`: the CLI waiting for, and setting up, the three nodes it started
  // itself on 127.0.0.1 (as src/demo/ reaches its own server).
  'src/cli/commands/demo-federation.ts',
  'src/cli/commands/demo-federation-processes.ts',
  // mysql2's createConnection for the binlog capture's control queries, handed net/'s checked
  // socket as the connector's pool is (dependency-cruiser requires it to import net/).
  'src/sources/connectors/mysql-session.ts',
  // Runs COPY on the pool postgres.ts opened through the checked socket; uses pg for escapeLiteral.
  'src/sources/connectors/postgres-copy.ts',
]);
const OPENS = /\bnew\s+(net\.)?Socket\s*\(|\bnet\.connect\s*\(|\bcreateConnection\s*\(|(^|[^.\w])fetch\s*\(/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('outbound connections', () => {
  it('are opened through net/ only', () => {
    const root = join(import.meta.dirname, '..', '..');
    const offenders = sources(join(root, 'src'))
      .map((path) => relative(root, path))
      .filter((path) => !ALLOWED.has(path) && !path.startsWith('src/demo/'))
      .filter((path) => OPENS.test(readFileSync(join(root, path), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
