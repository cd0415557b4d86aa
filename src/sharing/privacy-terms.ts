import { BadRequestError, type ErrorCode } from '../errors/index.js';
import type { PrivacyBudget, SandboxNoise } from './schemas.js';
import type { AccessUse } from './vocab.js';

/** The ε budget a request starts from (statistics, or sandbox with noise), until a reviewer sets another. */
export const DEFAULT_PRIVACY_BUDGET: PrivacyBudget = { epsilonPerDay: 1, epsilonTotal: 10 };

/** The differential-privacy terms of a grant: its ε budget, and the noise on sandbox answers. */
export interface PrivacyTerms {
  privacyBudget: PrivacyBudget | null;
  sandboxNoise: SandboxNoise | null;
}

const refusal = (code: ErrorCode, message: string, field: string) =>
  new BadRequestError(code, message, { field });

/**
 * The noise on sandbox answers after a step: only for sandbox requests (400
 * `budget_not_applicable`). The first step sets or removes it; a later one (the security officer)
 * may add it or lower ε — more noise — never remove it or raise ε (400 `noise_weakened`).
 */
function sandboxNoise(
  use: AccessUse,
  base: SandboxNoise | null,
  input: SandboxNoise | null | undefined,
  firstStep: boolean,
): SandboxNoise | null {
  // null where there is no noise is a no-op: terms resent as shown carry `sandboxNoise: null`.
  if (input === undefined || (input === null && base === null)) return base;
  if (use !== 'sandbox')
    throw refusal(
      'budget_not_applicable',
      'Only a sandbox request can have its answers noised',
      'sandboxNoise',
    );
  if (!firstStep && base && (input === null || input.epsilon > base.epsilon))
    throw refusal(
      'noise_weakened',
      input === null
        ? 'A later step cannot remove the noise an earlier step set'
        : `A later step may only lower ε (more noise): at most ${base.epsilon}`,
      'sandboxNoise',
    );
  return input;
}

/**
 * The ε budget and sandbox noise after a step. A budget applies to a statistics request, and to a
 * sandbox request whose answers are noised (the default budget when none is set); elsewhere 400
 * `budget_not_applicable`. A later step may lower a budget an earlier one agreed, never raise it
 * (400 `quota_exceeds_request`).
 */
export function privacyTerms(
  use: AccessUse,
  base: Partial<PrivacyTerms>,
  input: { privacyBudget?: PrivacyBudget | null; sandboxNoise?: SandboxNoise | null },
  firstStep: boolean,
): PrivacyTerms {
  const noise = sandboxNoise(use, base.sandboxNoise ?? null, input.sandboxNoise, firstStep);
  const applies = use === 'statistics' || noise !== null;
  const earlier = base.privacyBudget ?? null;
  const wanted = input.privacyBudget ?? undefined;
  if (wanted === undefined)
    return { privacyBudget: applies ? (earlier ?? DEFAULT_PRIVACY_BUDGET) : null, sandboxNoise: noise };
  if (!applies)
    throw refusal(
      'budget_not_applicable',
      'Only a statistics request, or a sandbox request with noise, has an ε budget',
      'privacyBudget',
    );
  if (
    !firstStep &&
    earlier &&
    (wanted.epsilonPerDay > earlier.epsilonPerDay || wanted.epsilonTotal > earlier.epsilonTotal)
  )
    throw refusal('quota_exceeds_request', 'A later step may only lower the ε budget', 'privacyBudget');
  return { privacyBudget: wanted, sandboxNoise: noise };
}
