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
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? this.token : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined || options.rawBody !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}/admin/v1${path}`, {
      method,
      headers,
      body: options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`admin ${method} ${path}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
    }
    return { status: response.status, body: json };
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
