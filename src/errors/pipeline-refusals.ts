import type { ErrorCode } from './codes.js';

/**
 * The refusals of the data pipeline (query/ and sharing/, and the audit log's fail-closed 503):
 * every code a caller can get on the way to data, with the HTTP status(es) it comes with.
 * A code thrown there must be listed here (src/errors/codes.test.ts reads the sources), and every
 * code listed here must be asserted through the API by some test with `expectRefusal`
 * (test/refusals/refusal-coverage.test.ts), so that no refusal of the pipeline goes untested.
 */
export const PIPELINE_REFUSALS = {
  // Planning: which resource, and whether the caller may see it at all.
  resource_not_found: [404],
  resource_not_bound: [404, 409],
  item_not_bound: [409],
  schema_drift: [409],
  // Access: grants, licences, open data.
  no_grant: [403],
  grant_revoked: [403],
  grant_expired: [403],
  grant_not_yet_valid: [403],
  ip_not_allowed: [403],
  core_data_not_releasable: [403],
  licence_not_accepted: [403],
  no_licence_needed: [409],
  resource_retired: [403, 409],
  open_release_has_personal_data: [400, 403],
  // The k-anonymity gate of open data: checked on the released rows before any leaves.
  open_release_below_k: [409],
  k_below_minimum: [400],
  quasi_identifier_not_released: [400],
  quasi_identifiers_required: [400],
  k_not_reachable: [409],
  // The grant's uses and sharing methods.
  detail_not_allowed: [403],
  export_not_allowed: [403],
  // A stored export (a scheduled delivery's file) downloaded after the grant narrowed.
  delivery_file_outdated: [403],
  verification_not_offered: [403],
  method_not_offered: [403],
  per_item_not_allowed: [403],
  // Another node's resource in SQL (跨节点联合查询, query/remote-table.ts).
  remote_resource_not_supported: [400],
  remote_rows_exceeded: [400],
  peer_bad_answer: [502],
  statistics_not_allowed: [403],
  // Differentially private statistics: what may be aggregated, and the ε budget.
  item_not_aggregable: [400],
  privacy_budget_exhausted: [429],
  // 可用不可见: what the sandbox mode refuses outright, and its release reviews.
  sandbox_row_level_output: [400],
  sandbox_identifying_output: [400],
  sandbox_json_only: [400],
  sandbox_reserved_name: [400],
  sandbox_single_provider: [400],
  sandbox_answer_too_large: [400],
  // A sandbox grant with noise: what can be noised, and the ε budget (privacy_budget_exhausted above).
  sandbox_noise_unsupported: [400],
  release_review_not_found: [404],
  release_review_pending: [409],
  release_review_refused: [409],
  release_review_decided: [409],
  // A held answer whose sealed rows fail authentication (tampered, moved, another key).
  held_result_unreadable: [500],
  statistics_sql_unsupported: [400],
  epsilon_required: [400],
  // Quotas and throttles.
  quota_exhausted: [429],
  verification_rate_limited: [429],
  verification_daily_limit: [429],
  // Rows: the consumer's own fields, filters, sorts and pages.
  unknown_field: [400],
  unknown_item: [400],
  invalid_filter: [400],
  invalid_cursor: [400],
  masked_field_not_sortable: [400],
  // SQL: the guard before the sandbox, the sandbox's limits and failures.
  sql_too_long: [400],
  sql_syntax_error: [400],
  not_a_select: [400],
  multiple_statements: [400],
  parameters_forbidden: [400],
  show_forbidden: [400],
  table_function_forbidden: [400],
  table_reference_forbidden: [400],
  qualified_name_forbidden: [400],
  function_forbidden: [400],
  no_resource: [400],
  query_failed: [400],
  query_timeout: [400],
  query_memory_exceeded: [400],
  // Bindings (the provider's side of the pipeline).
  unknown_source: [400],
  unknown_column: [400],
  // Sources answering a read (their own text never reaches the caller).
  source_query_failed: [400],
  // The sharing workflow: requests, approvals, grants.
  invalid_request: [400],
  invalid_period: [400],
  invalid_range: [400],
  own_resource: [409],
  request_not_needed: [409],
  request_not_pending: [409],
  not_your_step: [403],
  item_not_requested: [400],
  mask_widened: [400],
  item_not_agreed: [400],
  ips_widened: [400],
  period_not_within_request: [400],
  quota_exceeds_request: [400],
  budget_not_applicable: [400],
  noise_weakened: [400],
  grant_state_conflict: [409],
  // An answer held for release review, asked for over the PostgreSQL wire (which has no 202).
  held_for_review: [400],
  // A data-quality rule that would join two sources.
  referential_across_sources: [400],
  // Nothing leaves without its audit entry.
  audit_unavailable: [503],
  sandbox_unavailable: [503],
  // Subscriptions: what change capture cannot follow (a SELECT binding; a table with no key).
  capture_not_supported: [409],
  capture_needs_key: [409],
} as const satisfies Partial<Record<ErrorCode, readonly number[]>>;

/** A refusal code of the data pipeline. */
export type PipelineRefusal = keyof typeof PIPELINE_REFUSALS;

/** Whether `code` is a registered refusal of the pipeline. */
export function isPipelineRefusal(code: string): code is PipelineRefusal {
  return Object.hasOwn(PIPELINE_REFUSALS, code);
}
