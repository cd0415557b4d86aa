/** Why a backup or a restore was refused; `code` is stable, `member` names the archive member at fault. */
export class BackupError extends Error {
  constructor(
    readonly code:
      | 'archive_unreadable'
      | 'manifest_invalid'
      | 'member_corrupted'
      | 'member_missing'
      | 'member_unexpected'
      | 'target_not_empty'
      | 'schema_too_new'
      | 'schema_mismatch'
      | 'origin_mismatch'
      | 'secret_key_missing'
      | 'secret_key_mismatch'
      | 'audit_key_missing'
      | 'audit_verification_failed'
      | 'restore_in_progress'
      | 'snapshot_moved',
    message: string,
    readonly member?: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}
