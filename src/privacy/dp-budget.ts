import { BudgetExceededError, PrivacyError } from './errors.js';

/** An (ε, δ) amount of privacy loss. */
export interface PrivacyCost {
  epsilon: number;
  delta?: number;
}

/** Spend in integer millionths, so that sums of decimal ε never drift. */
export interface BudgetSpend {
  microEpsilon: number;
  /** δ in units of 10⁻¹². */
  picoDelta: number;
}

/**
 * Where spent budget lives (a table elsewhere; in memory for tests). `trySpend` must be atomic:
 * it adds the cost only if the total stays within the limit, and says whether it did.
 */
export interface BudgetStore {
  trySpend(key: string, cost: BudgetSpend, limit: BudgetSpend): Promise<boolean>;
  spent(key: string): Promise<BudgetSpend>;
}

/** A BudgetStore in memory (tests, single-process tools). */
export class InMemoryBudgetStore implements BudgetStore {
  private readonly spends = new Map<string, BudgetSpend>();

  /** Adds the cost when it fits within the limit. */
  async trySpend(key: string, cost: BudgetSpend, limit: BudgetSpend): Promise<boolean> {
    const s = this.spends.get(key) ?? { microEpsilon: 0, picoDelta: 0 };
    if (
      s.microEpsilon + cost.microEpsilon > limit.microEpsilon ||
      s.picoDelta + cost.picoDelta > limit.picoDelta
    )
      return false;
    this.spends.set(key, {
      microEpsilon: s.microEpsilon + cost.microEpsilon,
      picoDelta: s.picoDelta + cost.picoDelta,
    });
    return true;
  }

  /** What has been spent under a key. */
  async spent(key: string): Promise<BudgetSpend> {
    return this.spends.get(key) ?? { microEpsilon: 0, picoDelta: 0 };
  }
}

function toSpend(cost: PrivacyCost): BudgetSpend {
  const delta = cost.delta ?? 0;
  if (!(cost.epsilon >= 0) || !Number.isFinite(cost.epsilon) || !(delta >= 0) || delta > 1) {
    throw new PrivacyError('invalid_argument', 'ε must be finite and ≥ 0, δ in [0, 1]');
  }
  return { microEpsilon: Math.round(cost.epsilon * 1e6), picoDelta: Math.ceil(delta * 1e12) };
}

/** Tracks privacy loss per key (a grant, a consumer, a dataset) under basic sequential composition. */
export class PrivacyAccountant {
  constructor(
    private readonly store: BudgetStore,
    private readonly limitOf: (key: string) => PrivacyCost,
  ) {}

  /** Charges a cost before the query runs; throws BudgetExceededError when it would overspend. */
  async charge(key: string, cost: PrivacyCost): Promise<void> {
    const spend = toSpend(cost);
    if (!(await this.store.trySpend(key, spend, toSpend(this.limitOf(key))))) {
      throw new BudgetExceededError(key, cost.epsilon, (await this.remaining(key)).epsilon);
    }
  }

  /** The (ε, δ) still available under a key. */
  async remaining(key: string): Promise<{ epsilon: number; delta: number }> {
    const limit = toSpend(this.limitOf(key));
    const spent = await this.store.spent(key);
    return {
      epsilon: Math.max(0, limit.microEpsilon - spent.microEpsilon) / 1e6,
      delta: Math.max(0, limit.picoDelta - spent.picoDelta) / 1e12,
    };
  }
}
