import { callJson } from './http.js';

/** Calls Ringside's admin API (`/admin/v1`) with a bearer token. */
export class AdminClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    options: { token?: string | null; rawBody?: string } = {},
  ) {
    const bearer = options.token === undefined ? this.token : options.token;
    const { status, body: json } = await callJson(method, `${this.baseUrl}/admin/v1${path}`, {
      bearer,
      body,
      rawBody: options.rawBody,
    });
    return { status, body: json };
  }

  /** The request, failing the test unless the status is 2xx. */
  async ok(method: string, path: string, body?: unknown): Promise<any> {
    const { status, body: json } = await this.request(method, path, body);
    if (status < 200 || status > 299)
      throw new Error(`admin ${method} ${path}: HTTP ${status} ${JSON.stringify(json)}`);
    return json;
  }
}

export const ADMIN_TOKEN = 'ringside-test-admin-token-0123456789';

/** Every item of a listing, page by page (`limit` each), following `nextCursor` to the end. */
export async function allPages(admin: AdminClient, path: string, limit: number): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  const join = path.includes('?') ? '&' : '?';
  do {
    const suffix: string = cursor ? `&cursor=${cursor}` : '';
    const page: any = await admin.ok('GET', `${path}${join}limit=${limit}${suffix}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Fails when any of the secrets appears anywhere in the answer (its JSON text). */
export function assertNoSecrets(answer: unknown, secrets: string[]): void {
  const text = JSON.stringify(answer);
  for (const secret of secrets) {
    if (text.includes(secret)) throw new Error(`a secret (${secret.slice(0, 4)}…) appears in ${text.slice(0, 300)}`);
  }
}

/**
 * Walks a listing page by page (`limit` each) while `insert` adds rows: once before every page,
 * and once more concurrently with the page's request.
 */
export async function walkWhileInserting(
  admin: AdminClient,
  path: string,
  limit: number,
  insert: () => Promise<unknown>,
): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  const join = path.includes('?') ? '&' : '?';
  do {
    await insert();
    const suffix: string = cursor ? `&cursor=${cursor}` : '';
    const [page]: any[] = await Promise.all([admin.ok('GET', `${path}${join}limit=${limit}${suffix}`), insert()]);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/**
 * The walk saw every row that existed before it (`before`) exactly once, and no row twice
 * (rows inserted meanwhile may or may not be in it); and it came newest first.
 */
export function assertWalk(items: any[], before: string[], idOf: (item: any) => string, atOf: (item: any) => number) {
  const ids = items.map(idOf);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (repeated.length > 0) throw new Error(`rows repeated: ${repeated.join(', ')}`);
  const seen = new Set(ids);
  const skipped = before.filter((id) => !seen.has(id));
  if (skipped.length > 0) throw new Error(`rows skipped: ${skipped.join(', ')}`);
  assertNewestFirst(items, idOf, atOf);
}

/** Items are ordered by time, then id, both descending. */
export function assertNewestFirst(items: any[], idOf: (item: any) => string | number, atOf: (item: any) => number) {
  for (let i = 1; i < items.length; i++) {
    const [a, b] = [items[i - 1], items[i]];
    const ordered = atOf(a) > atOf(b) || (atOf(a) === atOf(b) && idOf(a) > idOf(b));
    if (!ordered) throw new Error(`not newest first at ${i}: ${JSON.stringify([idOf(a), atOf(a), idOf(b), atOf(b)])}`);
  }
}

/** A browser signed in to the admin API: its session cookie, sent with every request. */
export class AdminBrowser {
  private constructor(
    readonly baseUrl: string,
    /** `name=value` of the session cookie. */
    readonly cookie: string,
    /** The whole `Set-Cookie` header that signed it in. */
    readonly setCookie: string,
  ) {}

  /** Signs in with `token` (POST /admin/v1/session), failing the test unless it is 201. */
  static async signIn(baseUrl: string, token: string): Promise<AdminBrowser> {
    const response = await fetch(`${baseUrl}/admin/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`sign-in: HTTP ${response.status} ${text}`);
    const setCookie = response.headers.get('set-cookie') ?? '';
    return new AdminBrowser(baseUrl, setCookie.split(';')[0]!, setCookie);
  }

  /** The same cookie sent to another server (another process on the same database). */
  at(baseUrl: string): AdminBrowser {
    return new AdminBrowser(baseUrl, this.cookie, this.setCookie);
  }

  /** The server's own origin, as a browser on its pages sends it. */
  get origin(): string {
    return new URL(this.baseUrl).origin;
  }

  /** A request with the cookie; `origin` is sent as the `Origin` header when given. */
  async request(method: string, path: string, options: { origin?: string; body?: unknown } = {}) {
    const headers: Record<string, string> = { cookie: this.cookie };
    if (options.origin !== undefined) headers.origin = options.origin;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}/admin/v1${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as any };
  }
}
