import { z } from 'zod';

/** The archive format this build writes and reads. */
export const BACKUP_FORMAT = 'huitong-backup/1';

/** The manifest's own member: written last, read first. */
export const MANIFEST_MEMBER = 'manifest.json';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

// Members are plain relative paths under one of the archive's folders: no `..`, no absolute path.
const MemberName = z
  .string()
  .regex(/^(metadata|keys|files)\/[^\0]+$/)
  .refine((name) => !name.split('/').some((part) => part === '..' || part === '.' || part === ''), {
    message: 'a member path may not contain empty, . or .. parts',
  });

/** The manifest: what the archive holds, with the SHA-256 of every member. */
export const ManifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.iso.datetime(),
  huitongVersion: z.string(),
  /** The newest migration of the store the backup was taken from. */
  schemaVersion: z.string(),
  /** Which store it was taken from (a backup restores into either). */
  store: z.enum(['pglite', 'postgres']),
  audit: z.object({
    origin: z.string(),
    vkey: z.string(),
    treeSize: z.number().int().min(0),
    /** base64 RFC 6962 root of the snapshot's tree. */
    rootHash: z.string(),
  }),
  /**
   * Where the credentials key lives: in the archive (`file`), or in HUITONG_SECRET_KEY, which the
   * archive does not hold; `check` (HMAC of a fixed label) lets a restore tell the right key.
   */
  secretKey: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('file') }),
    z.object({ kind: z.literal('environment'), check: Sha256 }),
    z.object({ kind: z.literal('none') }),
  ]),
  tables: z.array(z.object({ name: z.string(), columns: z.array(z.string()), rows: z.number().int() })),
  members: z.array(z.object({ name: MemberName, bytes: z.number().int().min(0), sha256: Sha256 })),
});

/** A parsed manifest. */
export type Manifest = z.infer<typeof ManifestSchema>;

/** The member that holds a table's rows. */
export const tableMember = (table: string) => `metadata/${table}.ndjson`;

/** The member that holds a file of the data directory (`relative`: its path there). */
export const fileMember = (relative: string) => `files/${relative}`;

/** The member that holds a key file of the data directory. */
export const keyMember = (name: string) => `keys/${name}`;
