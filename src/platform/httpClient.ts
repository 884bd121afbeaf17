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

/** How much of an answer the delivery log keeps. */
export const ANSWER_HEAD_BYTES = 512;

/** What one outbound request saw, for the delivery log. Holds no secret (see `sendObserved`). */
export interface HttpExchange {
  /** The URL, without user info and with the values of secret query parameters redacted. */
  url: string;
  latencyMs: number;
  /** Undefined when no answer came. */
  status?: number;
  /** The first `ANSWER_HEAD_BYTES` bytes of the answer (whole characters). */
  answerHead?: string;
}

export type ObservedSend =
  | { answered: true; response: HttpResponse; exchange: HttpExchange }
  | { answered: false; error: string; exchange: HttpExchange };

/**
 * Sends `request` and reports what it saw, timed here so that no sender repeats the timing.
 * Never throws: a request that got no answer says why in `error` (see `describeFailure`).
 * `secretQuery` names query parameters (e.g. a signature) whose values the report redacts.
 */
export async function sendObserved(
  http: HttpClient,
  request: HttpRequest,
  secretQuery: readonly string[] = [],
): Promise<ObservedSend> {
  const url = redactedUrl(request.url, secretQuery);
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const response = await http.send(request);
    return {
      answered: true,
      response,
      exchange: { url, latencyMs: latency(), status: response.status, answerHead: answerHead(response.body) },
    };
  } catch (error) {
    return { answered: false, error: describeFailure(error), exchange: { url, latencyMs: latency() } };
  }
}

/** `url` without user info, and with the values of the query parameters named in `secretQuery` redacted. */
export function redactedUrl(url: string, secretQuery: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'invalid URL';
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of secretQuery) {
    if (parsed.searchParams.has(name)) parsed.searchParams.set(name, 'redacted');
  }
  return parsed.toString();
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The first `ANSWER_HEAD_BYTES` bytes of `body` in UTF-8, cut between characters, with U+0000
 * replaced (PostgreSQL text cannot hold it).
 */
export function answerHead(body: string): string {
  const bytes = new Uint8Array(ANSWER_HEAD_BYTES);
  // encodeInto writes whole characters only (and a lone surrogate as U+FFFD).
  const { written } = encoder.encodeInto(body.slice(0, ANSWER_HEAD_BYTES), bytes);
  return decoder.decode(bytes.subarray(0, written)).replaceAll('\u0000', '\uFFFD');
}
