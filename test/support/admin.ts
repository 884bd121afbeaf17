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
