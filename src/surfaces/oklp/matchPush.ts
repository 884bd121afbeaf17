import type { OklpClient, RetryPolicy } from '../../config/schema.js';
import { type Deliverer, type DeliveryResult, exponentialBackoff } from '../../delivery/dispatcher.js';
import type { MatchOutboundEvent } from '../../domain/events.js';
import type { MatchService } from '../../domain/matches/matchService.js';
import { describeFailure, type HttpClient } from '../../platform/httpClient.js';
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
    if (url === undefined) return { ok: true };
    // A match decided since needs no telling.
    const match = await this.matches.live(event.matchId);
    if (!match) return { ok: true };
    let status: number;
    try {
      const response = await this.http.send({
        method: 'PUT',
        url,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await this.tokens.webhookToken(event.clientId)}`,
        },
        body: JSON.stringify(renderStub(match)),
        timeoutMs: PUSH_TIMEOUT_MS,
      });
      status = response.status;
    } catch (error) {
      return { ok: false, error: describeFailure(error) };
    }
    if (status === 200) return { ok: true };
    return { ok: false, error: `HTTP ${status}`, permanent: true };
  }

  /** The game never accepted the stub: the match cannot be played, so it is aborted and refunded. */
  async onGiveUp({ event }: OutboxMessage<MatchOutboundEvent>, error: string): Promise<void> {
    await this.matches.abortUndelivered(event.matchId, `the game did not accept the match info (${error})`);
  }
}
