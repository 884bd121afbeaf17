export interface JsonReply {
  status: number;
  headers: Headers;
  body: any;
}

/**
 * Sends a JSON API request with an optional Bearer token and reads the JSON reply (failing
 * the test when it is not JSON). `rawBody` is sent as is instead of `JSON.stringify(body)`.
 */
export async function callJson(
  method: string,
  url: string,
  options: { bearer?: string | null; body?: unknown; rawBody?: string },
): Promise<JsonReply> {
  const headers: Record<string, string> = {};
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  try {
    return { status: response.status, headers: response.headers, body: JSON.parse(text) };
  } catch {
    throw new Error(`${method} ${url}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
}
