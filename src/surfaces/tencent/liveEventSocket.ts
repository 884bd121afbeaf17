import fastifyWebsocket from '@fastify/websocket';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { LiveEventsConfig } from '../../config/schema.js';
import type { LiveEvent } from '../../domain/events.js';
import type { LiveEventBus } from '../../delivery/liveEventBus.js';
import { compileValidator } from '../../platform/validation.js';
import { type Query, Refusal, type TencentAuth } from './auth.js';
import { TencentCode } from './errorCodes.js';
import { failEnvelope, newRequestId } from './envelope.js';
import { roomId } from './fields.js';
import { LiveConnectionCounts, MessageRate } from './liveEventLimits.js';
import { SlicedFanOut } from './liveFanOut.js';
import { renderLiveEvent } from './render.js';

const PING_INTERVAL_MS = 30_000;
/** WebSocket close codes (RFC 6455 § 7.4.1; 1013 from the IANA registry). */
const CLOSE_POLICY_VIOLATION = 1008;
const CLOSE_TRY_AGAIN_LATER = 1013;

const ClientMessage = Type.Object({
  Action: Type.Unsafe<'Subscribe' | 'Unsubscribe'>({ enum: ['Subscribe', 'Unsubscribe'] }),
  RoomIdList: Type.Array(roomId),
});
const validateMessage = compileValidator(ClientMessage, 'message');
/** About half a millisecond of writes between turns of the event loop. */
const SOCKETS_PER_FAN_OUT_SLICE = 64;

interface Subscriber {
  socket: WebSocket;
  identifier: string;
  /** `sdkAppId:identifier`, as the connection caps count it. */
  user: string;
  rooms: Set<string>;
}

export interface LiveEventSocketOptions {
  auth: TencentAuth;
  bus: LiveEventBus;
  limits: LiveEventsConfig;
}

/**
 * `GET /v4/live_events?sdkappid&identifier&usersig` (WebSocket, Ringside's extension): battle
 * events for the rooms the user owns and the rooms the user subscribes to. Any user of the
 * app may connect with their own UserSig. Client messages:
 * `{"Action":"Subscribe"|"Unsubscribe","RoomIdList":[…]}`. Server messages: `Ready`,
 * `Subscribed`, `BattleStarted`, `BattleScoreChanged`, `BattleEnded`, `Error`. Everything a
 * client controls is bounded by `limits` (docs/tencent.md, "Live events"), down to what a
 * client that does not read makes the server hold for it.
 */
export async function registerLiveEventSocket(app: FastifyInstance, options: LiveEventSocketOptions): Promise<void> {
  // The WebSocket plugin adds hooks to every route of the context it is registered in: keep it
  // in a context of its own, so the REST routes do not pay for them.
  await app.register(async (scope) => {
    // ws refuses a message over maxPayload from its frame header, before reading the payload.
    await scope.register(fastifyWebsocket, {
      options: { maxPayload: options.limits.maxMessageBytes },
      errorHandler: onSocketError,
    });
    liveEventSocketRoute(scope, options);
  });
}

function liveEventSocketRoute(app: FastifyInstance, options: LiveEventSocketOptions): void {
  const { limits } = options;
  const subscribersByApp = new Map<number, Set<Subscriber>>();
  const connections = new LiveConnectionCounts();
  const subscriberOf = new WeakMap<WebSocket, Subscriber>();
  let slowReadersDropped = 0;

  /**
   * Drops a connection whose client has left more than `maxBufferedBytes` unread: terminated
   * at once (a close frame would wait behind what it does not read), which frees its buffers.
   */
  const dropSlowReader = (socket: WebSocket) => {
    const bufferedBytes = socket.bufferedAmount;
    socket.terminate();
    slowReadersDropped += 1;
    app.log.warn(
      {
        user: subscriberOf.get(socket)?.user,
        bufferedBytes,
        maxBufferedBytes: limits.maxBufferedBytes,
        slowReadersDropped,
      },
      'live events: dropped a connection whose client does not read what it is sent',
    );
  };
  /** Sends `text` to an open socket, or drops it if its client has left too much unread. */
  const reply = (socket: WebSocket, text: string) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > limits.maxBufferedBytes) dropSlowReader(socket);
    else socket.send(text);
  };

  const fanOut = new SlicedFanOut(SOCKETS_PER_FAN_OUT_SLICE, limits.maxBufferedBytes, dropSlowReader);
  const unsubscribe = options.bus.subscribe((event) => {
    const subscribers = subscribersByApp.get(appOf(event));
    if (!subscribers || subscribers.size === 0) return;
    const prepare = () => {
      const rooms = roomsOf(event);
      const sockets: WebSocket[] = [];
      for (const subscriber of subscribers) {
        const concerned = rooms.some(
          (room) => room.ownerId === subscriber.identifier || subscriber.rooms.has(room.roomId),
        );
        if (concerned) sockets.push(subscriber.socket);
      }
      // Encoded once for every subscriber: a string would be encoded again for each send.
      return { sockets, message: Buffer.from(JSON.stringify(renderLiveEvent(event))) };
    };
    // A scoreboard is whole: a newer one of the battle may replace one still waiting.
    fanOut.add(prepare, event.type === 'battle.scores' ? `${event.appId}\u0000${event.battleId}` : undefined);
  });
  app.addHook('onClose', async () => unsubscribe());

  app.route({
    method: 'GET',
    url: '/live_events',
    handler: async (_request, reply) =>
      reply
        .code(200)
        .send(
          failEnvelope(
            newRequestId(),
            TencentCode.badRequest,
            'live_events is a WebSocket endpoint: send an upgrade request',
          ),
        ),
    wsHandler: (socket, request) => {
      if (connections.size >= limits.maxConnections) {
        const info = `at most ${limits.maxConnections} live-event connections per server process: retry later`;
        return refuse(socket, new Refusal(TencentCode.rateLimited, info), CLOSE_TRY_AGAIN_LATER);
      }
      let caller: ReturnType<TencentAuth['authenticate']>;
      try {
        caller = options.auth.authenticate(request.query as Query);
      } catch (error) {
        const refusal = error instanceof Refusal ? error : new Refusal(TencentCode.internal, 'internal server error');
        return refuse(socket, refusal, CLOSE_POLICY_VIOLATION, 'authentication failed');
      }
      const appId = caller.tenant.app.sdkAppId;
      const user = `${appId}:${caller.identifier}`;
      if (connections.of(user) >= limits.maxConnectionsPerUser) {
        const info = `at most ${limits.maxConnectionsPerUser} live-event connections per user`;
        return refuse(socket, new Refusal(TencentCode.rateLimited, info), CLOSE_POLICY_VIOLATION);
      }
      const release = connections.add(user);
      const subscriber: Subscriber = { socket, identifier: caller.identifier, user, rooms: new Set() };
      subscriberOf.set(socket, subscriber);
      const subscribers = subscribersByApp.get(appId) ?? new Set();
      subscribersByApp.set(appId, subscribers);
      subscribers.add(subscriber);

      let alive = true;
      socket.on('pong', () => (alive = true));
      const ping = setInterval(() => {
        if (!alive) return socket.terminate();
        alive = false;
        socket.ping();
      }, PING_INTERVAL_MS);
      socket.on('close', () => {
        clearInterval(ping);
        subscribers.delete(subscriber);
        release();
      });
      const rate = new MessageRate(limits.maxMessagesPerSecond);
      socket.on('message', (data) => {
        if (socket.readyState !== socket.OPEN) return; // refused or closing: read no further
        if (!rate.allows()) {
          const info = `at most ${limits.maxMessagesPerSecond} messages per second per connection`;
          return refuse(socket, new Refusal(TencentCode.rateLimited, info), CLOSE_POLICY_VIOLATION);
        }
        reply(socket, JSON.stringify(answerClientMessage(subscriber, data.toString())));
      });
      reply(socket, JSON.stringify({ Event: 'Ready', SdkAppId: appId, Identifier: caller.identifier }));
    },
  });

  /**
   * The answer to one client message: `Subscribed` with the rooms now subscribed, or an
   * `Error` event naming the rule broken. It never repeats what the client sent, beyond room
   * ids that passed the id rules.
   */
  function answerClientMessage(subscriber: Subscriber, text: string): Record<string, unknown> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return errorEvent(new Refusal(TencentCode.badJson, 'message is not valid JSON'));
    }
    const checked = validateMessage(message);
    if (!checked.ok)
      return errorEvent(new Refusal(TencentCode.invalidParameter, `invalid parameter: ${checked.message}`));
    const { Action, RoomIdList } = checked.value;
    if (Action === 'Subscribe') {
      if (new Set([...subscriber.rooms, ...RoomIdList]).size > limits.maxRoomsPerConnection) {
        const info = `invalid parameter: RoomIdList: at most ${limits.maxRoomsPerConnection} rooms per connection (${subscriber.rooms.size} subscribed)`;
        return errorEvent(new Refusal(TencentCode.invalidParameter, info));
      }
      for (const id of RoomIdList) subscriber.rooms.add(id);
    } else {
      for (const id of RoomIdList) subscriber.rooms.delete(id);
    }
    return { Event: 'Subscribed', RoomIdList: [...subscriber.rooms] };
  }
}

/**
 * Errors on an open socket. ws reports a client that breaks the protocol (a message over
 * `maxPayload`, invalid UTF-8, a reserved opcode, an oversized or fragmented control frame)
 * with a `WS_ERR_*` code and has already closed the socket with the matching close code: that
 * is the client's fault, worth a debug line without a stack, not an error per frame. Anything
 * else is a bug of ours.
 */
function onSocketError(error: Error, socket: WebSocket, request: FastifyRequest): void {
  const code = (error as NodeJS.ErrnoException).code;
  if (code?.startsWith('WS_ERR_')) {
    request.log.debug({ code, reason: error.message }, 'live events: a client broke the WebSocket protocol');
    return;
  }
  request.log.error({ err: error }, 'live events socket failed');
  socket.terminate();
}

function errorEvent(refusal: Refusal): Record<string, unknown> {
  return { Event: 'Error', ErrorCode: refusal.code, ErrorInfo: refusal.info };
}

/** Tells the client why in an `Error` event, then closes the socket. */
function refuse(socket: WebSocket, refusal: Refusal, closeCode: number, reason = refusal.info): void {
  socket.send(JSON.stringify(errorEvent(refusal)));
  socket.close(closeCode, reason);
}

function appOf(event: LiveEvent): number {
  return event.type === 'battle.scores' ? event.appId : event.battle.appId;
}

function roomsOf(event: LiveEvent): Array<{ roomId: string; ownerId: string }> {
  return event.type === 'battle.scores' ? event.scores : event.battle.rooms;
}
