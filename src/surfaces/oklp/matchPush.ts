import type { OklpClient, RetryPolicy } from '../../config/schema.js';
import { type Deliverer, type DeliveryResult, exponentialBackoff } from '../../delivery/dispatcher.js';
import type { MatchOutboundEvent } from '../../domain/events.js';
import type { MatchService } from '../../domain/matches/matchService.js';
import { type HttpClient, sendObserved } from '../../platform/httpClient.js';
import type { OutboxMessage } from '../../domain/outbound.js';
import { renderStub } from './render.js';
import type { PlatformTokens } from './tokens.js';

const PUSH_TIMEOUT_MS = 5000;

/**
 * Push flow: PUTs the match stub to the game's match-info URL, with a Bearer JWT signed by
 * the realm key, when a match starts and when a team forfeits on the platform. The stub is
 * the match as it is when sent, so a late retry never undoes a newer change. The game must
 * answer 200: any other answer aborts the match (entry fees refunded); a failure to connect
 * is retried per `oklp.pushRetry` first.
 */
export class MatchPushDeliverer implements Deliverer<MatchOutboundEvent> {
  private readonly clients: Map<string, OklpClient>;
  readonly retryDelayMs: Deliverer['retryDelayMs'];

  constructor(
    clients: OklpClient[],
    private readonly http: HttpClient,
    private readonly tokens: PlatformTokens,
    private readonly matches: MatchService,
    retry: RetryPolicy,
  ) {
    this.clients = new Map(clients.map((client) => [client.clientId, client]));
    this.retryDelayMs = exponentialBackoff(retry);
  }

  async deliver({ event }: OutboxMessage<MatchOutboundEvent>): Promise<DeliveryResult> {
    const url = this.clients.get(event.clientId)?.matchInfoUrl;
    // A game switched to polling since sees the match in its active matches: nothing to send.
    if (url === undefined) return { ok: true, notSent: 'the client has no matchInfoUrl (polling flow)' };
    // A match decided since needs no telling.
    const match = await this.matches.live(event.matchId);
    if (!match) return { ok: true, notSent: 'the match is no longer live' };
    const sent = await sendObserved(this.http, {
      method: 'PUT',
      url,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await this.tokens.webhookToken(event.clientId)}`,
      },
      body: JSON.stringify(renderStub(match)),
      timeoutMs: PUSH_TIMEOUT_MS,
    });
    const { exchange } = sent;
    if (!sent.answered) return { ok: false, error: sent.error, exchange };
    if (sent.response.status === 200) return { ok: true, exchange };
    return { ok: false, error: `HTTP ${sent.response.status}`, permanent: true, exchange };
  }

  /** The game never accepted the stub: the match cannot be played, so it is aborted and refunded. */
  async onGiveUp({ event }: OutboxMessage<MatchOutboundEvent>, error: string): Promise<void> {
    await this.matches.abortUndelivered(event.matchId, `the game did not accept the match info (${error})`);
  }
}
