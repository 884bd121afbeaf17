/**
 * The live battle board: a table of running battles and one of ended battles, kept as keyed rows
 * that are changed in place. Nothing is written to the page when an event arrives: events are
 * folded into pending changes (the latest scoreboard per battle wins) and written once per
 * animation frame, together with the one page-wide countdown tick. With 200 running battles and
 * a burst of score updates a frame touches only the score texts that changed; the first read's
 * rows are made `ROWS_PER_FRAME` a frame, so no single task makes them all.
 */
import { h, replaceChildren } from '../dom.js';
import { formatDuration, formatNumber, timeElement } from '../format.js';

export interface BattleRoom {
  roomId: string;
  ownerId: string;
  score: number;
}

/** A battle as the board shows it (the admin listing's view; events' records are turned into it). */
export interface BoardBattle {
  sdkAppId: number;
  battleId: string;
  status: 'running' | 'ended';
  durationMs: number;
  startedAt: number;
  endsAt: number;
  endedAt: number | null;
  endReason: 'time_up' | 'ended_by_admin' | 'room_destroyed' | null;
  rooms: BattleRoom[];
}

/** The most ended battles kept on the board (older ones are in the admin listing). */
export const ENDED_SHOWN = 20;
/** A running battle whose time has been up this long without a `battle.ended` event asks for a re-read. */
const OVERDUE_MS = 5000;
/** How long a changed score stays marked (no animation: 200 animating rows cost every frame). */
const FRESH_MS = 900;
/** Rows made per frame when the first read brings many: no frame of the first 200 gets long. */
const ROWS_PER_FRAME = 50;

const endReasons: Record<NonNullable<BoardBattle['endReason']>, string> = {
  time_up: 'time up',
  ended_by_admin: 'ended by an admin',
  room_destroyed: 'a room was closed',
};

interface ScoreCell {
  item: HTMLLIElement;
  value: HTMLElement;
  score: number;
}

interface RunningRow {
  battle: BoardBattle;
  row: HTMLTableRowElement;
  scores: Map<string, ScoreCell>;
  timeLeft: HTMLElement;
  shownTimeLeft: string;
}

export interface BattleBoardOptions {
  /** Called when a running battle's time has been up a while and no end was heard (re-read the listings). */
  overdue(): void;
}

export class BattleBoard {
  readonly element: HTMLElement;
  private readonly runningBody = h('tbody');
  private readonly endedBody = h('tbody');
  private readonly runningCount = h('span', { class: 'count' }, '0');
  private readonly runningEmpty = h('p', { class: 'state state-empty' }, 'No battle is running.');
  private readonly endedEmpty = h('p', { class: 'state state-empty' }, 'No battle has ended yet.');
  private readonly runningTable: HTMLTableElement;
  private readonly endedTable: HTMLTableElement;
  private readonly running = new Map<string, RunningRow>();
  private readonly ended = new Map<string, HTMLTableRowElement>();

  // Pending changes, written at the next animation frame.
  private pendingScores = new Map<string, BattleRoom[]>();
  private pendingStarted = new Map<string, BoardBattle>();
  private pendingEnded = new Map<string, BoardBattle>();
  private tickDue = false;
  private frame: number | undefined;
  private overdueAsked = false;
  /** Scores shown as just changed, with when: plain again at the first tick after `FRESH_MS`. */
  private readonly fresh = new Map<ScoreCell, number>();
  /** Battles of the first read not made into rows yet, in the listing's order (made a chunk a frame). */
  private readonly queued = new Map<string, BoardBattle>();

  constructor(private readonly options: BattleBoardOptions) {
    this.runningTable = boardTable(
      'Running battles, newest first',
      ['Battle', 'Scores', 'Time left', 'Started'],
      this.runningBody,
    );
    this.endedTable = boardTable(
      'Ended battles, newest first',
      ['Battle', 'Final scores', 'Winner', 'Ended'],
      this.endedBody,
    );
    this.element = h(
      'div',
      { class: 'battle-board' },
      h(
        'section',
        { class: 'board-section', 'data-section': 'running', 'aria-labelledby': 'running-title' },
        h('h2', { id: 'running-title' }, 'Running ', this.runningCount),
        h('div', { class: 'table-wrap' }, this.runningTable),
        this.runningEmpty,
      ),
      h(
        'section',
        { class: 'board-section', 'data-section': 'ended', 'aria-labelledby': 'ended-title' },
        h('h2', { id: 'ended-title' }, 'Recently ended'),
        h('div', { class: 'table-wrap' }, this.endedTable),
        this.endedEmpty,
      ),
    );
    this.refreshEmptyStates();
  }

  /**
   * Shows the listings as read (running newest first, ended newest first), keeping the rows of
   * battles already shown: a re-read after a reconnect changes only what changed.
   */
  load(running: BoardBattle[], ended: BoardBattle[]): void {
    const now = Date.now();
    const stillRunning = new Set(running.map((battle) => battle.battleId));
    for (const [battleId, row] of this.running) {
      if (!stillRunning.has(battleId)) {
        row.row.remove();
        this.running.delete(battleId);
      }
    }
    const first = this.running.size === 0 && this.queued.size === 0;
    const fragment = document.createDocumentFragment();
    for (const [i, battle] of running.entries()) {
      const existing = this.running.get(battle.battleId);
      if (existing) {
        this.writeScores(existing, battle.rooms, now);
        fragment.appendChild(existing.row);
      } else if (first && i >= ROWS_PER_FRAME) {
        this.queued.set(battle.battleId, battle);
      } else if (!this.queued.has(battle.battleId)) {
        fragment.appendChild(this.addRunning(battle, now).row);
      }
    }
    this.runningBody.appendChild(fragment);
    if (this.queued.size > 0) this.schedule();
    const endedRows = ended.slice(0, ENDED_SHOWN).map((battle) => this.endedRow(battle));
    this.ended.clear();
    endedRows.forEach((row, i) => this.ended.set(ended[i]!.battleId, row));
    replaceChildren(this.endedBody, endedRows);
    this.overdueAsked = false;
    this.refreshEmptyStates();
  }

  /** A battle that started (event): shown at the next frame, at the top. */
  started(battle: BoardBattle): void {
    this.pendingStarted.set(battle.battleId, battle);
    this.schedule();
  }

  /** A battle's new scoreboard (event): written at the next frame; only the latest counts. */
  scores(battleId: string, rooms: BattleRoom[]): void {
    this.pendingScores.set(battleId, rooms);
    this.schedule();
  }

  /** A battle that ended (event): moved to the ended table at the next frame, with its final scores. */
  endedBattle(battle: BoardBattle): void {
    this.pendingEnded.set(battle.battleId, battle);
    this.schedule();
  }

  /** The page's one clock: counts every running battle's time left down at the next frame. */
  tick(): void {
    this.tickDue = true;
    this.schedule();
  }

  /** Whether a running battle is shown. */
  has(battleId: string): boolean {
    return this.running.has(battleId) || this.queued.has(battleId) || this.pendingStarted.has(battleId);
  }

  stop(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }

  private schedule(): void {
    if (this.frame === undefined) this.frame = requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.frame = undefined;
    const now = Date.now();
    if (this.queued.size > 0) {
      const fragment = document.createDocumentFragment();
      for (const battle of [...this.queued.values()].slice(0, ROWS_PER_FRAME)) {
        this.queued.delete(battle.battleId);
        fragment.appendChild(this.addRunning(battle, now).row);
      }
      this.runningBody.appendChild(fragment);
      if (this.queued.size > 0) this.schedule();
    }
    if (this.pendingStarted.size > 0) {
      const fragment = document.createDocumentFragment();
      // Newest last in the map: prepend them so the newest ends up first.
      for (const battle of [...this.pendingStarted.values()].reverse()) {
        if (this.running.has(battle.battleId) || this.queued.has(battle.battleId) || this.ended.has(battle.battleId))
          continue;
        fragment.appendChild(this.addRunning(battle, now).row);
      }
      this.runningBody.prepend(fragment);
      this.pendingStarted.clear();
    }
    if (this.pendingScores.size > 0) {
      for (const [battleId, rooms] of this.pendingScores) {
        const row = this.running.get(battleId);
        if (row) this.writeScores(row, rooms, now);
        else
          this.queued.get(battleId)?.rooms.forEach((room) => {
            room.score = rooms.find((r) => r.roomId === room.roomId)?.score ?? room.score;
          });
      }
      this.pendingScores.clear();
    }
    if (this.pendingEnded.size > 0) {
      const fragment = document.createDocumentFragment();
      for (const battle of [...this.pendingEnded.values()].reverse()) {
        const row = this.running.get(battle.battleId);
        if (row) {
          row.row.remove();
          this.running.delete(battle.battleId);
        }
        this.queued.delete(battle.battleId);
        this.ended.get(battle.battleId)?.remove();
        const ended = this.endedRow(battle);
        this.ended.set(battle.battleId, ended);
        fragment.appendChild(ended);
      }
      this.endedBody.prepend(fragment);
      this.pendingEnded.clear();
      while (this.ended.size > ENDED_SHOWN) {
        const oldest = this.endedBody.lastElementChild as HTMLTableRowElement | null;
        if (!oldest) break;
        oldest.remove();
        this.ended.delete(oldest.dataset.key ?? '');
      }
    }
    if (this.tickDue) {
      this.tickDue = false;
      for (const [cell, at] of this.fresh) {
        if (now - at < FRESH_MS) continue;
        cell.item.classList.remove('changed');
        this.fresh.delete(cell);
      }
      let overdue = false;
      for (const row of this.running.values()) {
        this.writeTimeLeft(row, now);
        if (now - row.battle.endsAt > OVERDUE_MS) overdue = true;
      }
      if (overdue && !this.overdueAsked) {
        this.overdueAsked = true;
        this.options.overdue();
      }
    }
    this.refreshEmptyStates();
  }

  private addRunning(battle: BoardBattle, now: number): RunningRow {
    const scores = new Map<string, ScoreCell>();
    const list = h('ol', { class: 'battle-scores' });
    for (const room of battle.rooms) {
      const value = h('span', { class: 'score' }, formatNumber(room.score));
      const item = h(
        'li',
        { 'data-room': room.roomId },
        h('span', { class: 'room' }, room.roomId, h('span', { class: 'owner' }, room.ownerId)),
        value,
      );
      scores.set(room.roomId, { item, value, score: room.score });
      list.appendChild(item);
    }
    const timeLeft = h('span', { class: 'time-left' });
    const row = h(
      'tr',
      { 'data-key': battle.battleId },
      h('td', { 'data-label': 'Battle' }, battleLabel(battle)),
      h('td', { 'data-label': 'Scores' }, list),
      h('td', { 'data-label': 'Time left', class: 'num' }, timeLeft),
      h('td', { 'data-label': 'Started' }, timeElement(battle.startedAt)),
    );
    const state: RunningRow = { battle, row, scores, timeLeft, shownTimeLeft: '' };
    markLeader(state.scores);
    this.writeTimeLeft(state, now);
    this.running.set(battle.battleId, state);
    return state;
  }

  private writeScores(row: RunningRow, rooms: BattleRoom[], now: number): void {
    let changed = false;
    for (const room of rooms) {
      const cell = row.scores.get(room.roomId);
      if (!cell || cell.score === room.score) continue;
      cell.score = room.score;
      cell.value.textContent = formatNumber(room.score);
      cell.item.classList.add('changed');
      this.fresh.set(cell, now);
      changed = true;
    }
    if (changed) markLeader(row.scores);
  }

  private writeTimeLeft(row: RunningRow, now: number): void {
    const left = row.battle.endsAt - now;
    const text = left > 0 ? formatDuration(left) : 'ending…';
    if (text === row.shownTimeLeft) return;
    row.shownTimeLeft = text;
    row.timeLeft.textContent = text;
    row.timeLeft.classList.toggle('soon', left > 0 && left <= 10_000);
  }

  private endedRow(battle: BoardBattle): HTMLTableRowElement {
    const winner = winnerOf(battle.rooms);
    return h(
      'tr',
      { 'data-key': battle.battleId },
      h('td', { 'data-label': 'Battle' }, battleLabel(battle)),
      h(
        'td',
        { 'data-label': 'Final scores' },
        h(
          'ol',
          { class: 'battle-scores' },
          battle.rooms.map((room) =>
            h(
              'li',
              { 'data-room': room.roomId, class: winner?.roomId === room.roomId ? 'winner' : null },
              h('span', { class: 'room' }, room.roomId, h('span', { class: 'owner' }, room.ownerId)),
              h('span', { class: 'score' }, formatNumber(room.score)),
            ),
          ),
        ),
      ),
      h(
        'td',
        { 'data-label': 'Winner', class: 'winner-cell' },
        winner
          ? [h('strong', null, winner.roomId), h('span', { class: 'owner' }, winner.ownerId)]
          : h('span', { class: 'muted' }, 'Draw'),
      ),
      h(
        'td',
        { 'data-label': 'Ended' },
        timeElement(battle.endedAt ?? battle.endsAt),
        h(
          'div',
          { class: 'muted small' },
          `${battle.endReason ? endReasons[battle.endReason] : 'ended'} · ${formatDuration((battle.endedAt ?? battle.endsAt) - battle.startedAt)} long`,
        ),
      ),
    );
  }

  /** The count and the empty states; written only when they change (a write costs a style pass). */
  private refreshEmptyStates(): void {
    const running = this.running.size + this.queued.size;
    const count = formatNumber(running);
    if (this.runningCount.textContent !== count) this.runningCount.textContent = count;
    setHidden(this.runningTable, running === 0);
    setHidden(this.runningEmpty, running > 0);
    setHidden(this.endedTable, this.ended.size === 0);
    setHidden(this.endedEmpty, this.ended.size > 0);
  }
}

function setHidden(element: HTMLElement, hidden: boolean): void {
  if (element.hidden !== hidden) element.hidden = hidden;
}

/** The room with the highest score; none on a tie for first place. */
export function winnerOf(rooms: BattleRoom[]): BattleRoom | undefined {
  let best: BattleRoom | undefined;
  let tie = false;
  for (const room of rooms) {
    if (!best || room.score > best.score) {
      best = room;
      tie = false;
    } else if (room.score === best.score) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

function markLeader(scores: Map<string, ScoreCell>): void {
  const leader = winnerOf([...scores.entries()].map(([roomId, cell]) => ({ roomId, ownerId: '', score: cell.score })));
  for (const [roomId, cell] of scores) cell.item.classList.toggle('leading', roomId === leader?.roomId);
}

function battleLabel(battle: BoardBattle): HTMLElement {
  return h(
    'div',
    { class: 'battle-label' },
    h('code', { class: 'battle-id', title: battle.battleId }, battle.battleId.slice(0, 10), '…'),
    h('div', { class: 'muted small' }, `app ${battle.sdkAppId} · ${formatDuration(battle.durationMs)}`),
  );
}

function boardTable(caption: string, headers: string[], body: HTMLTableSectionElement): HTMLTableElement {
  return h(
    'table',
    { class: 'list board' },
    h('caption', { class: 'visually-hidden' }, caption),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        headers.map((header) => h('th', { scope: 'col', class: header === 'Time left' ? 'num' : null }, header)),
      ),
    ),
    body,
  );
}
