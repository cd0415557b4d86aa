// exchange/ (数据交换): subscriptions and push delivery. Changes come from query/ (which captures
// them through sources/ and enforces each batch with its release entry); exchange/ never imports
// sources/ and never sees a row before it is enforced. Push channels (webhook, NATS JetStream,
// staging databases) send what was stored, each batch released again before it leaves.
export { type ChannelDrivers, type ChannelEnvironment, channelDrivers } from './channels/drivers.js';
export { listDeadLetters, replayDeadLetter } from './dead-letters.js';
export { type DeliveryLoop, startDeliveryLoop } from './delivery-loop.js';
export { type Dispatcher, type DispatcherOptions, startDispatcher } from './dispatch.js';
export { type DeliveredEvent, readEvents } from './events.js';
export { captureOverview, listSubscribers } from './overview.js';
export { presentSubscription } from './presenters.js';
export { type EventsPage, pullEvents } from './pull.js';
export * from './schedules/index.js';
export * from './schemas.js';
export {
  createSubscription,
  deleteSubscription,
  pauseSubscription,
  resumeSubscription,
  type SubscriptionOptions,
} from './subscriptions.js';
export { getSubscription, listSubscriptions } from './subscriptions-read.js';
export { deliverBatch, runSourceDelivery } from './worker.js';
