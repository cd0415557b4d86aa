import type { ColumnType } from 'kysely';

// jsonb: parsed on the way out; written as JSON text so that arrays are not taken for SQL arrays.
type Json = ColumnType<unknown, string, string>;

/** quality_rules: a data-quality rule (质量规则) a provider's steward added to a resource. */
export interface QualityRuleTable {
  id: string;
  resource_id: string;
  kind: 'completeness' | 'validity' | 'uniqueness' | 'referential' | 'timeliness';
  /** The rule's fields (items, format, target, …) as governance/quality-rules.ts defines them. */
  definition: Json;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

/** quality_schedules: how often a resource's rules run, and whether the catalog's defaults apply. */
export interface QualityScheduleTable {
  resource_id: string;
  every_minutes: number;
  use_defaults: boolean;
  next_run_at: ColumnType<Date, Date, Date>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** quality_runs: one run of a resource's rules: counts and masked samples per rule, the score. */
export interface QualityRunTable {
  id: string;
  resource_id: string;
  org_id: string;
  trigger: 'schedule' | 'manual';
  status: 'succeeded' | 'failed';
  /** 0–100; null when the run failed (a source that was down scores nothing, not zero). */
  score: number | null;
  error_code: string | null;
  results: Json;
  started_at: Date;
  finished_at: Date;
}

/** The tables of data quality (governance/quality). */
export interface QualityTables {
  quality_rules: QualityRuleTable;
  quality_schedules: QualityScheduleTable;
  quality_runs: QualityRunTable;
}
