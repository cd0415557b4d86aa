import type { DemoResource } from './define.js';
import { ENERGY } from './energy.js';
import { ENVIRONMENT } from './environment.js';
import { MARKET } from './market.js';
import { POPULATION } from './population.js';
import { SERVICES } from './services.js';
import { WELFARE } from './welfare.js';

export type { DemoResource } from './define.js';

/** Every catalog entry of the demo, in creation order. */
export const RESOURCES: DemoResource[] = [
  ...POPULATION,
  ...MARKET,
  ...WELFARE,
  ...ENVIRONMENT,
  ...SERVICES,
  ...ENERGY,
];

/** The entry with this name; throws when the demo has none (a typo in a scenario). */
export function demoResource(name: string): DemoResource {
  const found = RESOURCES.find((r) => r.entry.name === name);
  if (!found) throw new Error(`the demo has no resource named ${name}`);
  return found;
}
