/** Outbound HTTP (callbacks, webhooks, payouts): one small interface over fetch. */
export interface HttpResponse {
  status: number;
  body: string;
}

export interface HttpRequest {
  method: 'POST' | 'PUT' | 'GET';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
}

export const fetchHttpClient: HttpClient = {
  async send({ method, url, headers, body, timeoutMs }) {
    const response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: await response.text() };
  },
};

/** A short description of a failed request, for the delivery log. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    if (error.name === 'TimeoutError') return 'timed out';
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
