import type { Auth, PlatformClient } from '../client.js';
import type { Planted } from '../dataset.js';
import { findResourceCodes } from '../load-catalog.js';
import { DEMO_PASSWORD } from '../members.js';
import { route } from '../pending-routes.js';

/** What a scenario runs with: a client of the platform and what the generator planted. */
export interface ScenarioContext {
  client: PlatformClient;
  planted: Planted;
  /** Asks for a checkpoint now (tests, whose logs sign none on a timer); servers sign one every few seconds. */
  checkpointNow?: () => Promise<unknown>;
}

/** What a scenario saw: whether the expected outcome held, the story step by step, and the evidence. */
export interface ScenarioOutcome {
  name: string;
  title: string;
  ok: boolean;
  steps: string[];
  evidence: Record<string, unknown>;
}

/** A JSON answer of the query pipeline. */
export interface QueryAnswer {
  columns: Array<{ name: string; type: string }>;
  rows: Array<Record<string, unknown>>;
}

/** Logs a demo account in. */
export function login(ctx: ScenarioContext, username: string): Promise<Auth> {
  return ctx.client.login(username, DEMO_PASSWORD);
}

/** The code of a demo resource, as the caller's catalog shows it. */
export async function codeOf(ctx: ScenarioContext, auth: Auth, name: string): Promise<string> {
  const code = (await findResourceCodes(ctx.client, auth)).get(name);
  if (!code) throw new Error(`the catalog shows no resource named ${name}: is the demo loaded?`);
  return code;
}

/** Runs SQL across resources through POST /query. */
export function query(
  ctx: ScenarioContext,
  auth: Auth,
  sql: string,
  aliases: Record<string, string>,
): Promise<QueryAnswer> {
  const [method, path] = route('query');
  return ctx.client.call<QueryAnswer>(auth, method, path, { sql, aliases, limit: 10_000 });
}

/** ID numbers as the Chinese convention masks them: six digits, eight stars, the last four. */
export const MASKED_ID = /^\d{6}\*{8}\d{3}[\dX]$/;
