import { profileValues } from './classify-values.js';
import { kindFromColumnName } from './column-names.js';
import { type Grade, isSensitiveKind, levelOfKind, maxGrade, type PersonalInfoKind } from './grades.js';
import { PII_KINDS, type PiiKind } from './kinds.js';

/** A column to classify: its name and a sample of its values. */
export interface ColumnSample {
  name: string;
  values: readonly unknown[];
}

/** Options of the classification. */
export interface ClassifyOptions {
  /** Values looked at per column (default 1000). */
  sampleSize?: number;
  /** Characters looked at per value (default 4096): huge cells are cut, not refused. */
  maxValueLength?: number;
  /** Individuals the table covers, when known: sensitive data of this many people is 重要数据. */
  population?: number;
  /** Population from which sensitive personal information is proposed as important (default 1,000,000). */
  importantPopulation?: number;
  today?: Date;
}

/** The proposal for one column. */
export interface ColumnClassification {
  name: string;
  kind: PersonalInfoKind | null;
  confidence: number;
  sensitive: boolean;
  children: boolean;
  grade: Grade;
  /** Kinds found inside free text of the column (备注 holding phone numbers). */
  embedded: PiiKind[];
  evidence: {
    nameKind: PersonalInfoKind | null;
    valueShares: Partial<Record<PiiKind, number>>;
    sampled: number;
    nonEmpty: number;
  };
}

/** The proposal for a table: its columns and the grade of the whole (the highest). */
export interface TableClassification {
  columns: ColumnClassification[];
  grade: Grade;
  personal: boolean;
  sensitive: boolean;
}

const detectable = new Set<string>(PII_KINDS);

/** Proposes the personal-information kind, sensitivity and grade of one column. */
export function classifyColumn(column: ColumnSample, options: ClassifyOptions = {}): ColumnClassification {
  const today = options.today ?? new Date();
  const sample = column.values.slice(0, options.sampleSize ?? 1000);
  const byName = kindFromColumnName(column.name);
  const hint = byName && detectable.has(byName.kind) ? (byName.kind as PiiKind) : undefined;
  const profile = profileValues(sample, options.maxValueLength ?? 4096, today, hint);
  const scores = new Map<PersonalInfoKind, number>();
  for (const [k, share] of Object.entries(profile.whole) as [PiiKind, number][]) scores.set(k, share * 0.95);
  if (byName) {
    const share = profile.whole[byName.kind as PiiKind] ?? 0;
    // A name contradicted by plenty of values (a "phone" column of order numbers) counts for less.
    const contradicted =
      detectable.has(byName.kind) && profile.nonEmpty >= 10 && share < 0.05 && byName.kind !== 'ipv6';
    const fromName = byName.confidence * (contradicted ? 0.45 : 1);
    scores.set(byName.kind, 1 - (1 - (scores.get(byName.kind) ?? 0)) * (1 - fromName));
  }
  let kind: PersonalInfoKind | null = null;
  let confidence = 0;
  for (const [k, s] of scores) if (s > confidence) [kind, confidence] = [k, s];
  if (confidence < 0.4) kind = null;
  const embedded = (Object.entries(profile.embedded) as [PiiKind, number][])
    .filter(([k, share]) => share >= 0.05 && k !== kind)
    .map(([k]) => k);
  const level = Math.max(levelOfKind(kind, profile.children), ...embedded.map((k) => levelOfKind(k))) as
    | 1
    | 2
    | 3
    | 4;
  return {
    name: column.name,
    kind,
    confidence: Math.round(confidence * 1000) / 1000,
    sensitive: profile.children || level === 4 || (kind !== null && isSensitiveKind(kind)),
    children: profile.children,
    grade: { grade: 'general', level },
    embedded,
    evidence: {
      nameKind: byName?.kind ?? null,
      valueShares: profile.whole,
      sampled: profile.sampled,
      nonEmpty: profile.nonEmpty,
    },
  };
}

/** Classifies every column of a table and grades the table by its most demanding column. */
export function classifyColumns(
  columns: readonly ColumnSample[],
  options: ClassifyOptions = {},
): TableClassification {
  const results = columns.map((c) => classifyColumn(c, options));
  const sensitive = results.some((c) => c.sensitive);
  let grade = maxGrade(results.map((c) => c.grade));
  const population = options.population ?? 0;
  if (sensitive && population >= (options.importantPopulation ?? 1_000_000)) grade = { grade: 'important' };
  return {
    columns: results,
    grade,
    personal: results.some((c) => c.kind !== null && c.kind !== 'credit-code'),
    sensitive,
  };
}
