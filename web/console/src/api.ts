/**
 * The console's only way to the server: the admin API (`/admin/v1`), with the session cookie
 * (same origin; the browser adds the `Origin` header writes need). Every failure becomes an
 * `ApiError` whose message is the admin API's own words.
 */

export const API_BASE = '/admin/v1';

/** A refusal of the admin API (`{"error": {"code", "message"}}`), or no answer at all (`status` 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A listing's answer (every admin listing): newest first, `nextCursor` null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Query = Record<string, string | number | null | undefined>;

/** Called when a request is refused for want of a live session (the shell then asks to sign in). */
let onSessionLost: (error: ApiError) => void = () => {};
export function whenSessionLost(handler: (error: ApiError) => void): void {
  onSessionLost = handler;
}

/** `path` under `/admin/v1` with the query's non-empty values. */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

/** Calls the admin API; resolves with the answer's JSON, or rejects with an `ApiError`. */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'Ringside did not answer: check that the server is running and reachable.');
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (response.ok) return json as T;
  const envelope = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const error =
    typeof envelope?.code === 'string' && typeof envelope.message === 'string'
      ? new ApiError(response.status, envelope.code, envelope.message)
      : new ApiError(response.status, `http_${response.status}`, `the server answered HTTP ${response.status}`);
  if (error.status === 401 && !(method === 'POST' && path === '/session')) onSessionLost(error);
  throw error;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) =>
  api<T>('GET', path, { query, ...(signal && { signal }) });
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, { body: body ?? {} });
export const put = <T>(path: string, body?: unknown) => api<T>('PUT', path, { body: body ?? {} });
export const patch = <T>(path: string, body?: unknown) => api<T>('PATCH', path, { body: body ?? {} });
export const del = <T>(path: string) => api<T>('DELETE', path);

/** An error in words for the operator: the API's message, its code and status. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    return error.status === 0 ? error.message : `${error.message} (${error.code}, HTTP ${error.status})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Whether `error` is the abort of a request whose page was left (not worth showing). */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
