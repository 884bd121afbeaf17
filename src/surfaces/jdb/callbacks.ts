import type { RetryPolicy } from '../../config/schema.js';
import type { Deliverer, DeliveryResult } from '../../delivery/dispatcher.js';
import { exponentialBackoff, fixedInterval } from '../../delivery/dispatcher.js';
import type { FreeSpinOutboundEvent } from '../../domain/events.js';
import { spinRecordTransferId } from '../../domain/freespins/freeSpin.js';
import type { Clock } from '../../platform/clock.js';
import { type HttpClient, sendObserved } from '../../platform/httpClient.js';
import type { OutboxMessage } from '../../domain/outbound.js';
import { JdbStatus } from './errorCodes.js';
import type { JdbAgents } from './transport.js';
import { formatAmount, formatTime, renderEventId } from './wire.js';

/** JDB gives the operator 3 s to answer a wallet callback. */
const WALLET_TIMEOUT_MS = 3000;

/** A decimal written into JSON as a number, exactly (JDB documents callback amounts as Double). */
class JsonDecimal {
  constructor(readonly text: string) {}
}

const decimal = (thousandths: number) => new JsonDecimal(formatAmount(thousandths));

/** A flat JSON object whose JsonDecimal values are written as number literals. */
function callbackJson(fields: Record<string, unknown>): string {
  const members = Object.entries(fields).map(
    ([key, value]) => `${JSON.stringify(key)}:${value instanceof JsonDecimal ? value.text : JSON.stringify(value)}`,
  );
  return `{${members.join(',')}}`;
}

/**
 * The agent's wallet: a form POST of `x=<encrypted JSON>` to its walletUrl, as JDB calls
 * operators. Accepted only when the wallet answers HTTP 200 with JSON `status` "0000".
 */
export class JdbWallet {
  constructor(
    private readonly agents: JdbAgents,
    private readonly http: HttpClient,
  ) {}

  async send(parent: string, fields: Record<string, unknown>): Promise<DeliveryResult> {
    const account = this.agents.account(parent);
    if (!account) return { ok: false, error: `agent ${parent} is not configured`, permanent: true };
    const x = account.cipher.encrypt(callbackJson(fields));
    const sent = await sendObserved(this.http, {
      method: 'POST',
      url: account.agent.walletUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `x=${encodeURIComponent(x)}`,
      timeoutMs: WALLET_TIMEOUT_MS,
    });
    const { exchange } = sent;
    if (!sent.answered) return { ok: false, error: sent.error, exchange };
    if (sent.response.status !== 200) return { ok: false, error: `HTTP ${sent.response.status}`, exchange };
    let reply: { status?: unknown; err_text?: unknown } | null;
    try {
      reply = JSON.parse(sent.response.body) as typeof reply;
    } catch {
      return { ok: false, error: 'reply is not JSON', exchange };
    }
    if (reply?.status === JdbStatus.ok) return { ok: true, exchange };
    return { ok: false, error: `status ${String(reply?.status)}: ${String(reply?.err_text ?? '')}`, exchange };
  }
}

type PayoutEvent = Extract<FreeSpinOutboundEvent, { topic: 'freespin.payout' }>;
type SpinEvent = Extract<FreeSpinOutboundEvent, { topic: 'freespin.spin' }>;

/**
 * Action 16, free-spin payout: retried at a fixed interval (JDB: every minute for an hour)
 * with the same transferId until the wallet answers "0000".
 */
export class JdbPayoutDeliverer implements Deliverer<PayoutEvent> {
  readonly retryDelayMs: Deliverer['retryDelayMs'];

  constructor(
    private readonly wallet: JdbWallet,
    private readonly clock: Clock,
    retry: { intervalMs: number; forMs: number },
  ) {
    this.retryDelayMs = fixedInterval(retry);
  }

  deliver({ event: { payout } }: OutboxMessage<PayoutEvent>): Promise<DeliveryResult> {
    return this.wallet.send(payout.agent, {
      action: 16,
      ts: this.clock.now(),
      transferId: payout.transferId,
      eventId: renderEventId(payout.eventId),
      uid: payout.uid,
      amount: decimal(payout.amount),
      currency: payout.currency,
      accumulatedTurnover: decimal(payout.turnover),
      accumulatedWin: decimal(payout.win),
      cashoutTime: formatTime(payout.cashoutAt),
    });
  }
}

/** Action 17, one record per free spin (agents with `spinRecords`): exponential backoff. */
export class JdbSpinRecordDeliverer implements Deliverer<SpinEvent> {
  readonly retryDelayMs: Deliverer['retryDelayMs'];

  constructor(
    private readonly wallet: JdbWallet,
    private readonly clock: Clock,
    retry: RetryPolicy,
  ) {
    this.retryDelayMs = exponentialBackoff(retry);
  }

  deliver({ event: { spin, currency, eventName } }: OutboxMessage<SpinEvent>): Promise<DeliveryResult> {
    return this.wallet.send(spin.agent, {
      action: 17,
      ts: this.clock.now(),
      transferId: spinRecordTransferId(spin.historyId),
      historyId: spin.historyId,
      uid: spin.uid,
      gType: spin.gameTypeId,
      mType: spin.gameId,
      gameDate: formatTime(spin.playedAt),
      bet: decimal(-spin.bet),
      win: decimal(spin.win),
      currency,
      eventId: spin.eventId,
      eventName,
    });
  }
}
