// The demand list (需求清单, issue 19 item 4): a consumer posts data the catalog lacks; the platform
// assigns it to a department, which answers with a resource, a new entry or reasons (docs/governance.md).
export { createDemand } from './create.js';
export { getDemand, listDemands } from './list.js';
export * from './schemas.js';
export { closePublishedDemands } from './settle.js';
export { answerDemand, assignDemand, declineAssignment, withdrawDemand } from './workflow.js';
