export { BackupError } from './errors.js';
export { AUDIT_KEY_FILE, SECRET_KEY_FILE, secretKeyCheck } from './key-files.js';
export { BACKUP_FORMAT, MANIFEST_MEMBER, type Manifest, ManifestSchema } from './manifest.js';
export { assertNotRestoring, RESTORE_MARKER, restoreUnfinished } from './marker.js';
export { type RestoreOptions, type RestoreReport, restoreBackup } from './restore.js';
export { pruneBackups, scheduledArchives, scheduledName } from './retention.js';
export { type BackupSchedule, runScheduledBackup, type ScheduleEvents, scheduleBackups } from './schedule.js';
export { type BackupOptions, type BackupSummary, backupCreatedEvent, writeBackup } from './write-backup.js';
