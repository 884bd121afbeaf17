import type { JdbAgent } from '../../config/schema.js';
import { AgentCipher } from './cipher.js';
import { JdbRefusal, JdbStatus, parameterRefusal } from './errorCodes.js';

/** How far `ts` may be from the server's clock, either way. */
const TS_WINDOW_MS = 30_000;

/**
 * How deep `x` may nest arrays and objects, counting `x` itself: no action needs more than 2
 * (`x` and an array such as `players`). Deeper text is refused before it is parsed.
 */
export const MAX_X_DEPTH = 8;

export interface TransportFields {
  dc?: unknown;
  x?: unknown;
  /** Optional: the sub-account whose key encrypted `x`. */
  parent?: unknown;
}

export interface OpenedRequest {
  agent: JdbAgent;
  action: number;
  params: Record<string, unknown>;
}

/** A configured agent (one `parent` account) and the cipher of its key. */
export interface JdbAccount {
  agent: JdbAgent;
  cipher: AgentCipher;
}

/** The configured agents by `dc` and by `parent`, each with its cipher. */
export class JdbAgents {
  private readonly byDc = new Map<string, JdbAccount[]>();
  private readonly byParent = new Map<string, JdbAccount>();

  constructor(agents: JdbAgent[]) {
    for (const agent of agents) {
      const entry = { agent, cipher: new AgentCipher(agent.key, agent.iv) };
      this.byDc.set(agent.dc, [...(this.byDc.get(agent.dc) ?? []), entry]);
      this.byParent.set(agent.parent, entry);
    }
  }

  /** With an outer `parent`, that account of the dc; else the dc's first account. */
  find(dc: string, parent: string | undefined): JdbAccount | undefined {
    const accounts = this.byDc.get(dc) ?? [];
    return parent === undefined ? accounts[0] : accounts.find((entry) => entry.agent.parent === parent);
  }

  /** The account whose `parent` this is. */
  account(parent: string): JdbAccount | undefined {
    return this.byParent.get(parent);
  }
}

/**
 * `dc`, `x` and `parent` from a GET query, or from a POST body (form or JSON, whatever the
 * Content-Type claims), each falling back to the query string.
 */
export function transportFields(method: string, query: Record<string, unknown>, body: unknown): TransportFields {
  if (method === 'GET' || typeof body !== 'string' || body.trim() === '') return query;
  const text = body.trim();
  let fields: Record<string, unknown>;
  if (text.startsWith('{')) {
    try {
      fields = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new JdbRefusal(JdbStatus.dataUnreadable, 'Cannot extract parameters: the request body is not valid JSON');
    }
  } else {
    fields = Object.fromEntries(new URLSearchParams(text));
  }
  return { dc: fields.dc ?? query.dc, x: fields.x ?? query.x, parent: fields.parent ?? query.parent };
}

/**
 * Authenticates and opens a request, checking in order: `dc` (9002, 9003), `x` (9004, 9006:
 * it must decrypt with the agent's key to a JSON object; 8000 naming the member that nests
 * deeper than MAX_X_DEPTH), `ts` (8000, 9005), `action` (8000) and the inner `parent` (8000;
 * 7001 when it is not the agent's). Each field's type is checked before its value is used.
 */
export function openRequest(fields: TransportFields, agents: JdbAgents, now: number): OpenedRequest {
  const { dc, x, parent } = fields;
  if (typeof dc !== 'string' || dc.length < 2) {
    throw new JdbRefusal(JdbStatus.domainMissing, 'Domain (dc) is null or shorter than 2');
  }
  if (parent !== undefined && typeof parent !== 'string') {
    throw new JdbRefusal(JdbStatus.domainUnknown, 'Failed domain validation: parent must be a string');
  }
  const account = agents.find(dc, parent === '' ? undefined : parent);
  if (!account) throw new JdbRefusal(JdbStatus.domainUnknown, `Failed domain validation: unknown dc ${dc}`);
  if (x === undefined || x === '') throw new JdbRefusal(JdbStatus.dataEmpty, 'Encrypted data (x) is empty');
  const plaintext = typeof x === 'string' ? account.cipher.decrypt(x) : undefined;
  const tooDeep = plaintext === undefined ? undefined : tooDeepMember(plaintext);
  if (tooDeep?.member !== undefined) {
    throw parameterRefusal(tooDeep.member, `must not nest arrays or objects more than ${MAX_X_DEPTH - 1} levels deep`);
  }
  const params = plaintext === undefined || tooDeep ? undefined : parseObject(plaintext);
  if (!params) {
    throw new JdbRefusal(
      JdbStatus.dataUnreadable,
      "Cannot extract parameters from encrypted data: x does not decrypt with this dc's key to a JSON object",
    );
  }

  const ts = params.ts;
  if (ts === undefined) throw parameterRefusal('ts', 'is required');
  if (!Number.isSafeInteger(ts)) throw parameterRefusal('ts', 'must be an integer (epoch milliseconds)');
  if (Math.abs(now - (ts as number)) > TS_WINDOW_MS) {
    throw new JdbRefusal(
      JdbStatus.timestampRejected,
      "Assertion(SAML) didn't pass the timestamp validation: ts must be within 30 seconds of the server's time",
    );
  }
  const action = params.action;
  if (action === undefined) throw parameterRefusal('action', 'is required');
  if (!Number.isSafeInteger(action)) throw parameterRefusal('action', 'must be an integer');
  const innerParent = params.parent;
  if (innerParent === undefined) throw parameterRefusal('parent', 'is required');
  if (typeof innerParent !== 'string') throw parameterRefusal('parent', 'must be a string');
  if (innerParent !== account.agent.parent) {
    throw new JdbRefusal(JdbStatus.parentNotFound, `Parent ID not found: ${innerParent} is not the agent of this dc`);
  }
  return { agent: account.agent, action: action as number, params };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/**
 * Whether a JSON text nests arrays and objects deeper than MAX_X_DEPTH, found by counting
 * brackets outside strings: no parsing, no recursion. When it does, `member` names the member
 * of the top-level object whose value is too deep (undefined when the text is not an object).
 */
export function tooDeepMember(text: string): { member: string | undefined } | undefined {
  let depth = 0;
  let inObject = false;
  // The last string read directly inside the top-level object: the name of the member whose value follows.
  let name: [number, number] | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== QUOTE; i++) {
        if (text.charCodeAt(i) === BACKSLASH) i++;
      }
      if (depth === 1) name = [start, i + 1];
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      if (depth === 1) inObject = c === OPEN_OBJECT;
      if (depth > MAX_X_DEPTH) {
        return { member: inObject && name ? memberName(text.slice(name[0], name[1])) : undefined };
      }
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return undefined;
}

/** A member name as the client wrote it, unescaped. */
function memberName(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
