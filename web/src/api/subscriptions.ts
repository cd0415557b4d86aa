// Subscription endpoints (数据订阅, docs/subscriptions.md): the organisation's subscriptions and
// their delivery, pause and resume, dead letters and their replay; a provider's subscribers; the
// administrators' change-capture status.

import type {
  CaptureSourceView,
  ChannelView,
  DeadLetterView,
  SubscriberView,
  SubscriptionStatus,
  SubscriptionView,
} from '../../../src/exchange/schemas.js';
import { api } from './client.js';

export type {
  CaptureSourceView,
  ChannelView,
  DeadLetterView,
  SubscriberView,
  SubscriptionStatus,
  SubscriptionView,
};

const v1 = '/api/v1';
const enc = encodeURIComponent;

export const subscriptionsApi = {
  list: () => api.get<{ items: SubscriptionView[] }>(`${v1}/subscriptions`),
  pause: (id: string) => api.post<SubscriptionView>(`${v1}/subscriptions/${id}/pause`),
  resume: (id: string) => api.post<SubscriptionView>(`${v1}/subscriptions/${id}/resume`),
  deadLetters: (id: string) => api.get<{ items: DeadLetterView[] }>(`${v1}/subscriptions/${id}/dead-letters`),
  replay: (id: string, letterId: string) =>
    api.post<DeadLetterView>(`${v1}/subscriptions/${id}/dead-letters/${letterId}/replay`),
  subscribers: (code: string) =>
    api.get<{ items: SubscriberView[] }>(`${v1}/resources/${enc(code)}/subscribers`),
  captureSources: () => api.get<{ items: CaptureSourceView[] }>(`${v1}/capture/sources`),
};
