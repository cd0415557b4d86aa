// Data quality (数据质量, issue 19 item 6): rules per resource (defaults from the catalog plus the
// stewards'), run on a schedule inside the source through query/, scores and masked issues.
export { qualityScores, resourceQuality, resourceScore } from './reports.js';
export { addQualityRule, defaultRules, maxAgeDays, removeQualityRule } from './rules.js';
export { effectiveRules, runQuality, runQualityNow, SAMPLE_LIMIT, scoreOf } from './runs.js';
export { DEFAULT_EVERY_MINUTES, scheduleOf, setQualitySchedule } from './schedule.js';
export * from './schemas.js';
export { type QualitySweepResult, sweepQuality } from './sweep.js';
