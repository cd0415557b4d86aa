// The settings a connection reports: PostgreSQL's names and values, not the engine's. `SHOW`,
// `current_setting()` and `pg_settings` answer from here, never from DuckDB's own configuration
// (whose paths and limits are the server's business).

// Settings a client may set (they change nothing of what a query reads), with their values.
export const SETTINGS: Record<string, string> = {
  client_encoding: 'UTF8',
  datestyle: 'ISO, MDY',
  timezone: 'UTC',
  extra_float_digits: '3',
  application_name: '',
  intervalstyle: 'postgres',
  standard_conforming_strings: 'on',
  client_min_messages: 'notice',
  search_path: '"$user", public',
  statement_timeout: '0',
  bytea_output: 'hex',
  lock_timeout: '0',
  idle_in_transaction_session_timeout: '0',
  server_version: '16.0',
  server_encoding: 'UTF8',
  integer_datetimes: 'on',
  transaction_isolation: 'read committed',
  default_transaction_read_only: 'on',
  transaction_read_only: 'on',
  max_identifier_length: '63',
  is_superuser: 'off',
  jit: 'off',
  geqo: 'on',
};

/** The parameters reported at start-up (ParameterStatus), as PostgreSQL does. */
export const STARTUP_PARAMETERS = [
  'server_version',
  'server_encoding',
  'client_encoding',
  'datestyle',
  'timezone',
  'integer_datetimes',
  'standard_conforming_strings',
  'intervalstyle',
  'is_superuser',
  'application_name',
] as const;

/** The value of a setting (for ParameterStatus and SHOW). */
export const settingValue = (name: string) => SETTINGS[name.toLowerCase()] ?? '';
