// The one way the UI talks to the server: the public HTTP API under /api, with the session
// cookie, the CSRF token on writes, and Accept-Language following the UI language.

/** The error shape of every 4xx/5xx: `{"error": {code, message, details}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** One page of a list endpoint. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

let csrfToken: string | null = null;
let language = 'zh-CN';
let onUnauthorized: (() => void) | null = null;

/** Remembers the session's CSRF token (from the login response or /auth/me). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The CSRF header of a write, for requests made outside `request` (uploads with progress). */
export function csrfHeader(): Record<string, string> {
  return csrfToken
    ? { 'x-csrf-token': csrfToken, 'accept-language': language }
    : { 'accept-language': language };
}

/** The language the server should answer error messages in. */
export function setApiLanguage(lang: string): void {
  language = lang;
}

/** Called when a request that needed a session gets 401 (the session expired). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function toError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; details?: unknown };
    };
    if (body.error?.code) {
      return new ApiError(
        response.status,
        body.error.code,
        body.error.message ?? body.error.code,
        body.error.details,
      );
    }
  } catch {
    // Not our error shape (a proxy's page): fall through to a generic message.
  }
  return new ApiError(response.status, 'http_error', `HTTP ${response.status} ${response.statusText}`);
}

/** Sends a request; resolves to the parsed JSON (undefined for 204), rejects with ApiError. */
export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  options: { query?: Query; body?: unknown; form?: FormData; file?: Blob; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.file) {
    // A file as the body itself (the server decides its format by its content).
    headers['content-type'] = 'application/octet-stream';
    body = options.file;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(withQuery(path, options.query), {
    method,
    headers,
    body,
    credentials: 'same-origin',
    signal: options.signal,
  });
  if (response.status === 401 && onUnauthorized && !path.endsWith('/auth/login')) onUnauthorized();
  if (!response.ok) throw await toError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, { form }),
  postFile: <T>(path: string, file: Blob) => request<T>('POST', path, { file }),
};

/**
 * POSTs a JSON body (or a file, as the body itself) whose answer is a file (an export), and hands
 * the file to the browser as a download named as the server's Content-Disposition says.
 */
export async function downloadPost(path: string, body: unknown, fallbackName: string): Promise<void> {
  const file = body instanceof Blob;
  const response = await fetch(path, {
    method: 'POST',
    headers: {
      'content-type': file ? 'application/octet-stream' : 'application/json',
      ...csrfHeader(),
    },
    body: file ? body : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!response.ok) throw await toError(response);
  const disposition = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const name = encoded ? decodeURIComponent(encoded) : fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Whether an error means "this endpoint is not on this server yet" (404 route_not_found). */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'route_not_found';
}
