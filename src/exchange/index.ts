// exchange/ (数据交换): subscriptions and push delivery. Changes come from query/ (which captures
// them through sources/ and enforces each batch with its release entry); exchange/ never imports
// sources/ and never sees a row before it is enforced.
export { type DeliveryLoop, startDeliveryLoop } from './delivery-loop.js';
export { type DeliveredEvent, readEvents } from './events.js';
export { presentSubscription } from './presenters.js';
export { type EventsPage, pullEvents } from './pull.js';
export * from './schemas.js';
export {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  pauseSubscription,
} from './subscriptions.js';
export { deliverBatch, runSourceDelivery } from './worker.js';
