// Scheduled delivery (定时全量交付): a consumer application's cron schedule of full exports of a
// resource, each run an export through query/ (enforced and released like GET …/export), into
// its staging database (the table replaced in one transaction) or as a file kept for download.
export { checkCron, nextRunAt } from './cron.js';
export { downloadRunFile } from './download.js';
export { presentRun, presentSchedule } from './presenters.js';
export { runSchedule, type ScheduleEnvironment } from './run.js';
export { claimDue, type ScheduleRunner, startScheduleRunner } from './runner.js';
export {
  createSchedule,
  deleteSchedule,
  getSchedule,
  listRuns,
  listSchedules,
  runScheduleNow,
} from './schedules.js';
export * from './schemas.js';
