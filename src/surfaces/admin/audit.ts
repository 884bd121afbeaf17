import type { FastifyReply, FastifyRequest } from 'fastify';
import { AUDIT_BODY_LIMIT, type AuditLog, type NewAuditEntry } from '../../domain/audit/adminAudit.js';
import type { Clock } from '../../platform/clock.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An admin route's template under /admin/v1, e.g. `/deliveries/:id/retry`. */
    adminRoute?: string;
  }
}

/** Field names whose values an audit entry never keeps, at any depth of a body. */
const SECRET_FIELD = /token|secret|password|authorization/i;

/**
 * Records every admin write (any method but GET and HEAD) that passed authentication, whether
 * it succeeded or was refused, once its answer is ready and before it is sent: the operator
 * who reads the log right after a write finds it there. A failed insert is logged as an error
 * and the answer goes out unchanged: the audit log never turns a write's outcome around.
 */
export async function auditWrite(
  request: FastifyRequest,
  reply: FastifyReply,
  /** The answer's body as it goes out (a refusal's is the JSON text of the admin error envelope). */
  payload: unknown,
  log: AuditLog,
  clock: Clock,
): Promise<void> {
  const route = request.routeOptions.config.adminRoute;
  if (request.method === 'GET' || request.method === 'HEAD') return;
  if (request.adminActor === undefined || route === undefined) return;
  const entry: NewAuditEntry = {
    at: clock.now(),
    actor: request.adminActor.tokenName,
    method: request.method,
    route,
    target: { ...(request.params as Record<string, string> | undefined) },
    ...bodySummary(request.body),
    status: reply.statusCode,
    errorCode: reply.statusCode >= 400 ? errorCodeOf(payload) : null,
  };
  try {
    await log.record(entry);
  } catch (error) {
    const { body: _body, ...described } = entry;
    request.log.error({ err: error, audit: described }, 'admin audit entry not recorded');
  }
}

/**
 * The code of the admin error envelope a refusal was answered with. Read from the answer itself
 * rather than noted where it is sent: the surface's `send` also renders answers with no request
 * behind them (HTTP-layer refusals).
 */
function errorCodeOf(payload: unknown): string {
  try {
    const code = (JSON.parse(String(payload)) as { error?: { code?: unknown } }).error?.code;
    if (typeof code === 'string') return code;
  } catch {
    // Not the envelope: said below.
  }
  return 'unknown';
}

/**
 * A request body as an audit entry keeps it: its JSON text with the values of secret-looking
 * fields replaced, cut at `AUDIT_BODY_LIMIT` characters. A body that was not JSON (refused as
 * such) is kept as its text, cut the same way, with each zero byte as U+FFFD: PostgreSQL's
 * text holds none, and the entry must be written on every backend (JSON text escapes it).
 * Arrays and objects nested deeper than AUDIT_BODY_DEPTH are cut there (`"…"`).
 */
export function bodySummary(body: unknown): { body: string | null; bodyTruncated: boolean } {
  if (body === undefined || body === null || body === '') return { body: null, bodyTruncated: false };
  const cut = { deep: false };
  const text =
    typeof body === 'string'
      ? body.replaceAll('\u0000', '\uFFFD')
      : JSON.stringify(shallow(body, 0, cut), (key, value: unknown) =>
          key && SECRET_FIELD.test(key) ? '[redacted]' : value,
        );
  return text.length > AUDIT_BODY_LIMIT || cut.deep
    ? { body: text.slice(0, AUDIT_BODY_LIMIT), bodyTruncated: true }
    : { body: text, bodyTruncated: false };
}

/**
 * How deep an entry keeps a body's arrays and objects. JSON.stringify recurses, and a body
 * nested some thousands of levels deep (any JSON parser takes it) exhausts the stack.
 */
const AUDIT_BODY_DEPTH = 64;

/** `value` with what nests deeper than AUDIT_BODY_DEPTH replaced by `"…"` (and `cut.deep` set). */
function shallow(value: unknown, depth: number, cut: { deep: boolean }): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= AUDIT_BODY_DEPTH) {
    cut.deep = true;
    return '…';
  }
  if (Array.isArray(value)) return value.map((item) => shallow(item, depth + 1, cut));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, shallow(item, depth + 1, cut)]));
}
