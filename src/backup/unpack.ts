import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as tar from 'tar';
import { BackupError } from './errors.js';
import { MANIFEST_MEMBER, type Manifest, ManifestSchema } from './manifest.js';
import { filesUnder, sha256File } from './members.js';

/**
 * Unpacks an archive into the empty folder `into` (regular files only: no links, no device, no
 * path out of it) and checks it against its manifest: every member present with its size and
 * SHA-256, nothing more. Any difference is refused with the member's name.
 */
export async function unpackAndCheck(file: string, into: string): Promise<Manifest> {
  try {
    await tar.x({
      file,
      cwd: into,
      strict: true,
      preservePaths: false,
      filter: (_path, entry) => (entry as tar.ReadEntry).type === 'File',
    });
  } catch (error) {
    throw new BackupError(
      'archive_unreadable',
      `${file} is not a readable backup archive: ${(error as Error).message}`,
    );
  }
  let manifest: Manifest;
  try {
    manifest = ManifestSchema.parse(JSON.parse(await readFile(join(into, MANIFEST_MEMBER), 'utf8')));
  } catch (error) {
    throw new BackupError(
      'manifest_invalid',
      `${file}: ${MANIFEST_MEMBER} is missing or invalid: ${(error as Error).message.split('\n')[0]}`,
      MANIFEST_MEMBER,
    );
  }
  const listed = new Set(manifest.members.map((m) => m.name));
  for (const member of manifest.members) {
    const path = join(into, member.name);
    const size = await stat(path).then(
      (s) => (s.isFile() ? s.size : undefined),
      () => undefined,
    );
    if (size === undefined)
      throw new BackupError('member_missing', `${file}: member ${member.name} is missing`, member.name);
    if (size !== member.bytes || (await sha256File(path)) !== member.sha256)
      throw new BackupError(
        'member_corrupted',
        `${file}: member ${member.name} does not match its SHA-256 in the manifest (corrupted)`,
        member.name,
      );
  }
  for (const name of await filesUnder(into)) {
    if (name !== MANIFEST_MEMBER && !listed.has(name))
      throw new BackupError('member_unexpected', `${file}: member ${name} is not in the manifest`, name);
  }
  return manifest;
}
