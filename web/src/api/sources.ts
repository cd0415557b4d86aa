// Provider endpoints: sources, file uploads (with progress), bindings and the privacy scan.
import type { BindingView } from '../../../src/query/binding-admin.js';
import type { BindResourceInput } from '../../../src/query/bindings.js';
import type { CreateSourceInput, ImportedFileView, SourceView } from '../../../src/sources/schemas.js';
import type { SourceDescription, TestResult } from '../../../src/sources/types.js';
import { ApiError, api, csrfHeader, type Page } from './client.js';

export type {
  BindingView,
  BindResourceInput,
  CreateSourceInput,
  ImportedFileView,
  SourceDescription,
  SourceView,
};

const v1 = '/api/v1';
const enc = encodeURIComponent;

export const sourcesApi = {
  list: (query: { limit?: number; cursor?: string } = {}) =>
    api.get<Page<SourceView>>(`${v1}/sources`, query),
  create: (body: CreateSourceInput) => api.post<SourceView>(`${v1}/sources`, body),
  remove: (id: string) => api.delete<void>(`${v1}/sources/${id}`),
  test: (id: string) => api.post<TestResult>(`${v1}/sources/${id}/test`),
  describe: (id: string) => api.get<SourceDescription>(`${v1}/sources/${id}/schema`),
  binding: (code: string) => api.get<BindingView>(`${v1}/resources/${enc(code)}/binding`),
  bind: (code: string, body: BindResourceInput) =>
    api.put<BindingView>(`${v1}/resources/${enc(code)}/binding`, body),
};

/** The Content-Type the server reads each upload format from. */
const UPLOAD_TYPES: Record<string, string> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
};

/** The upload format of a file, from its extension. */
export function fileFormat(name: string): string | undefined {
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  return ext in UPLOAD_TYPES ? ext : undefined;
}

/**
 * Sends a file as a raw body with XMLHttpRequest, whose upload events give the progress that
 * fetch cannot. Resolves to the parsed JSON answer, rejects with ApiError.
 */
export function uploadWithProgress<T>(
  path: string,
  file: Blob,
  contentType: string,
  onProgress: (percent: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', contentType);
    xhr.setRequestHeader('accept', 'application/json');
    for (const [k, v] of Object.entries(csrfHeader())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'Network error'));
    xhr.onload = () => {
      let body: { error?: { code: string; message: string; details?: unknown } } | undefined;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else
        reject(
          new ApiError(
            xhr.status,
            body?.error?.code ?? 'http_error',
            body?.error?.message ?? `HTTP ${xhr.status}`,
            body?.error?.details,
          ),
        );
    };
    xhr.send(file);
  });
}

/** Uploads a data file as a new file source. */
export function uploadSourceFile(file: File, name: string, onProgress: (p: number) => void) {
  const format = fileFormat(file.name) ?? 'csv';
  const query = new URLSearchParams({ name, format });
  return uploadWithProgress<ImportedFileView>(
    `${v1}/sources/files?${query}`,
    file,
    UPLOAD_TYPES[format] ?? 'application/octet-stream',
    onProgress,
  );
}
