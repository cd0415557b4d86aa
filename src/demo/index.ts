// The demo province (issue 9): a seeded, realistic 福建省 of departments, enterprises, data and
// catalog, loaded through the platform's own API. A client of the domain like the CLI.
export { loadDemoInBackground } from './background.js';
export { demoLoaded } from './bootstrap.js';
export { RESOURCES } from './catalog/index.js';
export { ApiError, type Auth, type FetchLike, PlatformClient } from './client.js';
export { type DemoData, generateDemoData, type Planted } from './dataset.js';
export {
  FEDERATION_ACCOUNTS,
  FEDERATION_NAME,
  FEDERATION_NODES,
  type FederationDemoNode,
  ZHEJIANG_MARKET,
} from './federation-nodes.js';
export { prepareFederationNode, type ZhejiangPrepared } from './federation-prepare.js';
export {
  CROSS_PROVINCE_RESOURCES,
  crossProvince,
  defaultFederationUrls,
  type FederationUrls,
} from './federation-scenario.js';
export { type Injectable, injectFetch } from './inject-fetch.js';
export { accountLines, type LoadDemoOptions, type LoadDemoResult, loadDemo } from './load-demo.js';
export { ACCOUNTS, BUREAU, DEMO_PASSWORD, ORGANIZATIONS } from './members.js';
export { type DemoProfile, demoProfile, PROFILES } from './profiles.js';
export { SCENARIOS, type ScenarioOutcome, scenarioNames } from './scenarios/index.js';
export { serviceAllowEntries, serviceOptionsFromEnv } from './services.js';
