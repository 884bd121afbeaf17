import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { LiveEvent } from '../../domain/events.js';
import type { LiveEventBus } from '../../delivery/liveEventBus.js';
import { type Query, Refusal, type TencentAuth } from './auth.js';
import { TencentCode } from './errorCodes.js';
import { failEnvelope, newRequestId } from './envelope.js';
import { SlicedFanOut } from './liveFanOut.js';
import { renderLiveEvent } from './render.js';

const MAX_SUBSCRIBED_ROOMS = 100;
const PING_INTERVAL_MS = 30_000;
/** About half a millisecond of writes between turns of the event loop. */
const SOCKETS_PER_FAN_OUT_SLICE = 64;

interface Subscriber {
  socket: WebSocket;
  identifier: string;
  rooms: Set<string>;
}

/**
 * `GET /v4/live_events?sdkappid&identifier&usersig` (WebSocket, Ringside's extension): battle
 * events for the rooms the user owns and the rooms the user subscribes to. Any user of the
 * app may connect with their own UserSig. Client messages:
 * `{"Action":"Subscribe"|"Unsubscribe","RoomIdList":[…]}`. Server messages: `Ready`,
 * `Subscribed`, `BattleStarted`, `BattleScoreChanged`, `BattleEnded`, `Error`.
 */
export async function registerLiveEventSocket(
  app: FastifyInstance,
  options: { auth: TencentAuth; bus: LiveEventBus },
): Promise<void> {
  // The WebSocket plugin adds hooks to every route of the context it is registered in: keep it
  // in a context of its own, so the REST routes do not pay for them.
  await app.register(async (scope) => {
    await scope.register(fastifyWebsocket);
    liveEventSocketRoute(scope, options);
  });
}

function liveEventSocketRoute(app: FastifyInstance, options: { auth: TencentAuth; bus: LiveEventBus }): void {
  const subscribersByApp = new Map<number, Set<Subscriber>>();

  const fanOut = new SlicedFanOut(SOCKETS_PER_FAN_OUT_SLICE);
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
      let caller: ReturnType<TencentAuth['authenticate']>;
      try {
        caller = options.auth.authenticate(request.query as Query);
      } catch (error) {
        const refusal = error instanceof Refusal ? error : new Refusal(TencentCode.internal, 'internal server error');
        socket.send(JSON.stringify({ Event: 'Error', ErrorCode: refusal.code, ErrorInfo: refusal.info }));
        socket.close(1008, 'authentication failed');
        return;
      }
      const appId = caller.tenant.app.sdkAppId;
      const subscriber: Subscriber = { socket, identifier: caller.identifier, rooms: new Set() };
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
      });
      socket.on('message', (data) => {
        const reply = handleClientMessage(subscriber, data.toString());
        socket.send(JSON.stringify(reply));
      });
      socket.send(JSON.stringify({ Event: 'Ready', SdkAppId: appId, Identifier: caller.identifier }));
    },
  });
}

function handleClientMessage(subscriber: Subscriber, text: string): Record<string, unknown> {
  let message: { Action?: unknown; RoomIdList?: unknown };
  try {
    message = JSON.parse(text) as typeof message;
  } catch {
    return { Event: 'Error', ErrorCode: TencentCode.badJson, ErrorInfo: 'message is not valid JSON' };
  }
  const roomIds = message?.RoomIdList;
  if (!Array.isArray(roomIds) || !roomIds.every((id) => typeof id === 'string' && id !== '')) {
    return {
      Event: 'Error',
      ErrorCode: TencentCode.invalidParameter,
      ErrorInfo: 'RoomIdList must be an array of room ids',
    };
  }
  if (message.Action === 'Subscribe') {
    if (new Set([...subscriber.rooms, ...roomIds]).size > MAX_SUBSCRIBED_ROOMS) {
      return {
        Event: 'Error',
        ErrorCode: TencentCode.invalidParameter,
        ErrorInfo: `at most ${MAX_SUBSCRIBED_ROOMS} rooms per connection`,
      };
    }
    for (const id of roomIds) subscriber.rooms.add(id);
  } else if (message.Action === 'Unsubscribe') {
    for (const id of roomIds) subscriber.rooms.delete(id);
  } else {
    return {
      Event: 'Error',
      ErrorCode: TencentCode.invalidParameter,
      ErrorInfo: 'Action must be Subscribe or Unsubscribe',
    };
  }
  return { Event: 'Subscribed', RoomIdList: [...subscriber.rooms] };
}

function appOf(event: LiveEvent): number {
  return event.type === 'battle.scores' ? event.appId : event.battle.appId;
}

function roomsOf(event: LiveEvent): Array<{ roomId: string; ownerId: string }> {
  return event.type === 'battle.scores' ? event.scores : event.battle.rooms;
}
