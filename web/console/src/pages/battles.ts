/**
 * Live battles: the running battles of every Tencent app (or one, `?sdkAppId=`) with their scores
 * as they change, read once from `GET /admin/v1/tencent/battles` and then kept current by the
 * admin event stream (`battle.started`, `battle.scores`, `battle.ended`); the recently ended ones
 * with their final scores and winner. The board (battleBoard.ts) writes to the page at most once
 * per animation frame.
 */
import { get, type Page } from '../api.js';
import { filterForm, type FilterField, filterValues } from '../components/filters.js';
import { errorState, loadingState } from '../components/states.js';
import { h, replaceChildren } from '../dom.js';
import { type AdminEvent, adminEvents, type StreamState } from '../events.js';
import { consoleUrl, type PageDefinition } from '../router.js';
import { BattleBoard, type BattleRoom, type BoardBattle, ENDED_SHOWN } from './battleBoard.js';

/** The most running battles read (pages of the listing's largest size). */
const RUNNING_READ_LIMIT = 2000;
const PAGE_SIZE = 500;

/** A battle record of the event stream (`appId`, optional end fields) as the board shows it. */
interface StreamBattle {
  appId: number;
  battleId: string;
  status: 'running' | 'ended';
  durationMs: number;
  startedAt: number;
  endsAt: number;
  endedAt?: number;
  endReason?: BoardBattle['endReason'];
  rooms: BattleRoom[];
}

function fromStream(battle: StreamBattle): BoardBattle {
  return {
    sdkAppId: battle.appId,
    battleId: battle.battleId,
    status: battle.status,
    durationMs: battle.durationMs,
    startedAt: battle.startedAt,
    endsAt: battle.endsAt,
    endedAt: battle.endedAt ?? null,
    endReason: battle.endReason ?? null,
    rooms: battle.rooms,
  };
}

const streamStateText: Record<StreamState, string> = {
  open: 'Live',
  connecting: 'Connecting…',
  down: 'Not live: reconnecting',
};

export const battlesPage: PageDefinition = {
  path: '/battles',
  title: 'Live battles',
  async render({ query, signal, navigate }) {
    const apps = await get<Page<{ sdkAppId: number }>>('/tencent/apps', { limit: 500 }, signal);
    const fields: FilterField[] = [
      {
        kind: 'select',
        name: 'sdkAppId',
        label: 'App',
        options: [
          { value: '', label: 'Every app' },
          ...apps.items.map((app) => ({ value: String(app.sdkAppId), label: String(app.sdkAppId) })),
        ],
      },
    ];
    const filters = filterValues(fields, query);
    const onlyApp = filters.sdkAppId === undefined ? undefined : Number(filters.sdkAppId);
    const wanted = (appId: number) => onlyApp === undefined || appId === onlyApp;

    const status = h('span', { class: 'stream-state', role: 'status' });
    const problem = h('div', { class: 'board-problem' });
    const board = new BattleBoard({ overdue: () => void read() });
    const boardHolder = h('div', { 'aria-busy': 'true' }, loadingState('Loading battles…'));

    let loaded = false;
    let reading: Promise<void> | undefined;
    // Events heard before the first read finished: applied after it, in order.
    const early: AdminEvent[] = [];

    const apply = (event: AdminEvent) => {
      if (event.type === 'battle.scores') {
        if (wanted(event.appId as number)) board.scores(event.battleId as string, event.scores as BattleRoom[]);
      } else {
        const battle = event.battle as StreamBattle;
        if (!wanted(battle.appId)) return;
        if (event.type === 'battle.started') board.started(fromStream(battle));
        else if (event.type === 'battle.ended') board.endedBattle(fromStream(battle));
      }
    };
    const listen = (event: AdminEvent) => (loaded ? apply(event) : early.push(event));

    const readAll = async () => {
      const running: BoardBattle[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<BoardBattle> = await get<Page<BoardBattle>>(
          '/tencent/battles',
          { status: 'running', sdkAppId: onlyApp, limit: PAGE_SIZE, cursor },
          signal,
        );
        running.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null && running.length < RUNNING_READ_LIMIT);
      const ended = await get<Page<BoardBattle>>(
        '/tencent/battles',
        { status: 'ended', sdkAppId: onlyApp, limit: ENDED_SHOWN },
        signal,
      );
      if (signal.aborted) return;
      board.load(running, ended.items);
      replaceChildren(problem);
      if (!loaded) {
        loaded = true;
        replaceChildren(boardHolder, board.element);
        for (const event of early.splice(0)) apply(event);
      }
      boardHolder.setAttribute('aria-busy', 'false');
    };
    // One read at a time; a read asked for meanwhile is served by the one under way.
    const read = () => {
      reading ??= readAll()
        .catch((error: unknown) => {
          if (signal.aborted) return;
          boardHolder.setAttribute('aria-busy', 'false');
          replaceChildren(
            loaded ? problem : boardHolder,
            errorState(error, () => void read()),
          );
        })
        .finally(() => (reading = undefined));
      return reading;
    };

    const stops = [
      adminEvents.on('battle.started', listen),
      adminEvents.on('battle.scores', listen),
      adminEvents.on('battle.ended', listen),
      // Events may have been missed while the stream was down: read the listings again.
      adminEvents.onReconnect(() => void read()),
      adminEvents.onState((state) => {
        status.textContent = streamStateText[state];
        status.dataset.state = state;
      }),
    ];
    const clock = setInterval(() => board.tick(), 1000);
    signal.addEventListener('abort', () => {
      for (const stop of stops) stop();
      clearInterval(clock);
      board.stop();
    });
    void read();

    return h(
      'div',
      null,
      h(
        'div',
        { class: 'board-head' },
        h(
          'p',
          { class: 'lead' },
          'Running PK battles with their scores as they change, and the battles that ended last with their final scores and winner.',
        ),
        status,
      ),
      filterForm(fields, query, (values) => navigate(consoleUrl('/battles', values))),
      problem,
      boardHolder,
    );
  },
};
