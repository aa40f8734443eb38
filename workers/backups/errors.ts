/** Error codes of the backups family (the registry: workers/platform/errors.ts). */
import { defineErrors } from "../platform/errors.ts";

export const BackupErrors = defineErrors({
  BACKUP_INCOMPLETE: { status: 409, title: "Backup incomplete" },
  BACKUP_CORRUPT: { status: 409, title: "Backup corrupt" },
  BACKUP_CONFIRMATION_REQUIRED: { status: 409, title: "Backup confirmation required" },
  BACKUP_SCHEMA_MISMATCH: { status: 409, title: "Backup schema mismatch" },
  BACKUP_SCRATCH_UNAVAILABLE: { status: 409, title: "Backup scratch database unavailable" },
  BACKUP_IN_PROGRESS: { status: 409, title: "Backup in progress" },
});
