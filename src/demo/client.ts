/** The `fetch` the demo talks through: the global one, or an adapter over an in-process app. */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/** A body sent as it is (a file upload), with its content type. */
export class RawBody {
  constructor(
    readonly bytes: Uint8Array,
    readonly contentType: string,
  ) {}
}

/** A refused or failed API call, with the platform's error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly route: string,
  ) {
    super(`${route}: ${status} ${code} — ${message}`);
  }

  /** Whether the platform has no such route yet (a module still being built). */
  get routeMissing(): boolean {
    return this.code === 'route_not_found';
  }
}

/** How a call authenticates: a login session (cookie + CSRF token), an API key, or nobody. */
export type Auth = { cookie: string; csrf: string } | { bearer: string } | null;

/** A thin client of the platform's HTTP API, as any outside program would use it. */
export class PlatformClient {
  constructor(
    readonly baseUrl: string,
    private readonly fetchFn: FetchLike = fetch,
  ) {}

  /** Logs in with a username and password; the session to pass to later calls. */
  async login(username: string, password: string): Promise<Auth> {
    const response = await this.fetchFn(`${this.baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const body = (await response.json()) as { csrfToken?: string; error?: { code: string; message: string } };
    if (!response.ok) {
      throw new ApiError(
        response.status,
        body.error?.code ?? 'error',
        body.error?.message ?? '',
        'POST /api/v1/auth/login',
      );
    }
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
    return { cookie, csrf: body.csrfToken! };
  }

  /** One call; JSON in and out. Throws ApiError on a 4xx or 5xx. */
  async call<T = unknown>(auth: Auth, method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.raw(auth, method, path, body);
    const text = await response.text();
    const parsed =
      text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
    if (!response.ok) {
      const error = (parsed as { error?: { code: string; message: string } })?.error;
      throw new ApiError(
        response.status,
        error?.code ?? 'error',
        error?.message ?? String(text).slice(0, 200),
        `${method} ${path.split('?')[0]}`,
      );
    }
    return parsed as T;
  }

  /** One call, the raw response (for CSV exports and multipart uploads). */
  raw(auth: Auth, method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (auth && 'cookie' in auth) {
      headers.cookie = auth.cookie;
      if (method !== 'GET') headers['x-csrf-token'] = auth.csrf;
    }
    if (auth && 'bearer' in auth) headers.authorization = `Bearer ${auth.bearer}`;
    let payload: RequestInit['body'];
    if (body instanceof RawBody) {
      headers['content-type'] = body.contentType;
      payload = new Uint8Array(body.bytes);
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return this.fetchFn(`${this.baseUrl}${path}`, { method, headers, body: payload });
  }

  /** Every item of a paged list (`items`, `nextCursor`). */
  async all<T>(auth: Auth, path: string): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: { items: T[]; nextCursor: string | null } = await this.call(
        auth,
        'GET',
        `${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }
}
