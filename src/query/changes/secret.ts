import { openSealedText, sealText } from '../../sources/index.js';
import type { QueryContext } from '../context.js';

// A subscription's channel secret (a webhook's signing secret, a staging database's password) is
// sealed with the credentials key, like the sources' passwords, and bound to its subscription so
// that a sealed value copied onto another row does not open.
const boundTo = (subscriptionId: string) => `subscription:${subscriptionId}`;

/** Seals a subscription's channel secret for the store. */
export function sealSubscriptionSecret(ctx: QueryContext, subscriptionId: string, secret: string): string {
  return sealText(ctx.heldRowsKey, boundTo(subscriptionId), secret);
}

/** Opens what `sealSubscriptionSecret` sealed for this subscription; anything else throws. */
export function openSubscriptionSecret(ctx: QueryContext, subscriptionId: string, sealed: string): string {
  return openSealedText(ctx.heldRowsKey, boundTo(subscriptionId), sealed);
}

/**
 * Seals another exchange secret (a delivery schedule's staging password) bound to its owner:
 * `owner` names the row, e.g. `delivery-schedule:<id>`, so that a sealed value moved elsewhere does not open.
 */
export function sealExchangeSecret(ctx: QueryContext, owner: string, secret: string): string {
  return sealText(ctx.heldRowsKey, owner, secret);
}

/** Opens what `sealExchangeSecret` sealed for this owner; anything else throws. */
export function openExchangeSecret(ctx: QueryContext, owner: string, sealed: string): string {
  return openSealedText(ctx.heldRowsKey, owner, sealed);
}
