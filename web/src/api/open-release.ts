// The open release of a resource and its k-anonymity gate (开放数据 k 匿名).

import type { KPreview, KPreviewInput } from '../../../src/query/open-data-k-preview.js';
import type { OpenReleaseInput, OpenReleaseView } from '../../../src/sharing/schemas.js';
import { api } from './client.js';

export type { KPreview, KPreviewInput, OpenReleaseInput, OpenReleaseView };

const v1 = '/api/v1';

export const openReleaseApi = {
  get: (code: string) => api.get<OpenReleaseView>(`${v1}/resources/${code}/open-release`),
  put: (code: string, body: OpenReleaseInput) =>
    api.put<OpenReleaseView>(`${v1}/resources/${code}/open-release`, body),
  preview: (code: string, body: KPreviewInput) =>
    api.post<KPreview>(`${v1}/resources/${code}/open-release/k-preview`, body),
  generalise: (code: string, body: KPreviewInput) =>
    api.post<OpenReleaseView>(`${v1}/resources/${code}/open-release/generalise`, body),
};
