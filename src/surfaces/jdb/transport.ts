import type { JdbAgent } from '../../config/schema.js';
import { AgentCipher } from './cipher.js';
import { JdbRefusal, JdbStatus, parameterRefusal } from './errorCodes.js';

/** How far `ts` may be from the server's clock, either way. */
const TS_WINDOW_MS = 30_000;

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
 * it must decrypt with the agent's key to a JSON object), `ts` (8000, 9005), `action` (8000)
 * and the inner `parent` (8000; 7001 when it is not the agent's).
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
  const params = plaintext === undefined ? undefined : parseObject(plaintext);
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
  if (params.parent === undefined) throw parameterRefusal('parent', 'is required');
  if (params.parent !== account.agent.parent) {
    throw new JdbRefusal(
      JdbStatus.parentNotFound,
      `Parent ID not found: ${String(params.parent)} is not the agent of this dc`,
    );
  }
  return { agent: account.agent, action: action as number, params };
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
