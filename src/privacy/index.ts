// The public surface of privacy/: detectors, column classification, masks (JS and SQL),
// k-anonymity and differentially private aggregates. Pure: imports no other module.
export {
  creditCodeCheckChar,
  hasValidCreditCodeCheck,
  hasValidResidentIdCheck,
  passesLuhn,
  residentIdCheckChar,
} from './check-digits.js';
export {
  CREDIT_CODE_PATTERN,
  creditCodeCheckSql,
  RESIDENT_ID_PATTERN,
  residentIdCheckSql,
} from './check-digits-sql.js';
export {
  type ClassifyOptions,
  type ColumnClassification,
  type ColumnSample,
  classifyColumn,
  classifyColumns,
  type TableClassification,
} from './classify.js';
export { kindFromColumnName } from './column-names.js';
export { type DecodeResult, type DetectBytesResult, decodeUtf8, detectPiiInBytes } from './decode.js';
export { DEFAULT_MASKS, defaultMaskForKind } from './default-masks.js';
export { type DetectOptions, detectPii } from './detect.js';
export {
  clampUnits,
  type DpBounds,
  type DpParams,
  type DpResult,
  DpSumAccumulator,
  dpAvg,
  dpCount,
  dpParamsSchema,
  dpSum,
  noisyInteger,
} from './dp-aggregates.js';
export {
  type BudgetSpend,
  type BudgetStore,
  InMemoryBudgetStore,
  PrivacyAccountant,
  type PrivacyCost,
} from './dp-budget.js';
export { bernoulliExp, cryptoRandom, type RandomSource } from './dp-random.js';
export { sampleDiscreteGaussian, sampleDiscreteLaplace } from './dp-samplers.js';
export { BudgetExceededError, PrivacyError, type PrivacyErrorCode } from './errors.js';
export {
  type Grade,
  gradeRank,
  gradeSchema,
  isSensitiveKind,
  levelOfKind,
  maxGrade,
  PERSONAL_INFO_KINDS,
  type PersonalInfoKind,
  personalInfoKindSchema,
} from './grades.js';
export {
  ageHierarchy,
  dateHierarchy,
  prefixHierarchy,
  type QuasiIdentifier,
  regionHierarchy,
  suppressOnly,
} from './hierarchies.js';
export { type HmacKey, hmacHex } from './hmac-key.js';
export {
  classSize,
  type EquivalenceClass,
  type KAnonymityReport,
  kAnonymity,
  type Row,
} from './k-anonymity.js';
export { type GeneraliseOptions, type GeneraliseResult, generaliseToK } from './k-anonymity-search.js';
export {
  FAILED_CHECK_CONFIDENCE,
  type Finding,
  findingSchema,
  HIT_CONFIDENCE,
  PII_KINDS,
  type PiiKind,
  piiKindSchema,
} from './kinds.js';
export { applyMask, type MaskContext, parseMaskSpec } from './mask-js.js';
export { type MaskKind, type MaskSpec, maskSpecSchema } from './mask-spec.js';
export { type MaskSqlOptions, maskSql } from './mask-sql.js';
export { hierarchyOf, type QuasiKind, quasiKindOf } from './quasi-identifiers.js';
export { createPiiScanner, type PiiStreamScanner, scanPiiStream } from './scan-stream.js';
export { scanValues, type ValueFindings } from './scan-values.js';
export { quoteIdent, type SqlDialectName, sqlDialectSchema } from './sql-dialects.js';
