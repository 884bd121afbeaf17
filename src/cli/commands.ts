import { randomUUID } from 'node:crypto';
import { type Column, formatRecord, formatTable } from './table.js';

/** What a command was given: its positional arguments by name and its flags. */
export interface CommandInput {
  args: Record<string, string>;
  flags: Record<string, string | undefined>;
}

/** How a successful answer is shown without `--json`. */
export type View = (answer: any) => string;

/**
 * An operator command: one admin API call. Adding a command is one entry in `operatorCommands`.
 */
export interface OperatorCommand {
  /** The words after `ringside`, e.g. `deliveries list`. */
  name: string;
  /** Positional arguments in order; `{NAME}` in `path` takes the argument, URL-encoded. */
  args?: string[];
  summary: string;
  method: 'GET' | 'POST';
  /** Under `/admin/v1`, e.g. `/deliveries/{ID}/replay`. */
  path: string;
  /** Flags sent as query parameters of the same name: flag → what it takes. */
  query?: Record<string, string>;
  /** Flags the body is made from: flag → what it takes. */
  flags?: Record<string, string>;
  /** Flags (of `flags`) the command cannot run without. */
  required?: string[];
  body?: (input: CommandInput) => unknown;
  /** A listing with pages: it takes `--limit` and `--cursor`, and the next cursor is shown. */
  paged?: boolean;
  view: View;
}

/** The rows under `key` as a table. */
const rowsOf =
  (key: string, columns: Column[]): View =>
  (answer) =>
    formatTable(answer[key] ?? [], columns);

/** One object (the answer, or the part `pick` chooses) as field/value lines. */
const recordOf =
  (columns: Column[], pick: (answer: any) => unknown = (answer) => answer): View =>
  (answer) =>
    formatRecord(pick(answer), columns);

/** Several views one after the other, each under its title. */
const sections =
  (...parts: Array<[title: string, view: View]>): View =>
  (answer) =>
    parts.map(([title, view]) => (title ? `${title}:\n${view(answer)}` : view(answer))).join('\n');

/** A one-line answer. */
const line =
  (text: (answer: any) => string): View =>
  (answer) =>
    `${text(answer)}\n`;

const scopeText = (scope: { kind: string; appId?: number; agentId?: string; clientId?: string } | undefined) =>
  scope && `${scope.kind} ${scope.appId ?? scope.agentId ?? scope.clientId}`;

/** A whole number stays a number in the body; anything else goes as given, for the API to name. */
const integerOrText = (text: string) => (/^-?\d{1,15}$/.test(text) ? Number(text) : text);

const timeRange = {
  from: 'created at or after this time (epoch ms)',
  to: 'created before this time (epoch ms)',
};

const deliveryColumns: Column[] = [
  { header: 'ID', value: 'id' },
  { header: 'TOPIC', value: 'topic' },
  { header: 'SCOPE', value: (d) => scopeText(d.scope) },
  { header: 'STATUS', value: 'status' },
  { header: 'ATTEMPTS', value: 'attempts' },
  { header: 'CREATED', value: 'createdAt', time: true },
  { header: 'NEXT ATTEMPT', value: 'nextAttemptAt', time: true },
  { header: 'LAST ERROR', value: 'lastError', width: 30 },
];

const attemptColumns: Column[] = [
  { header: 'AT', value: 'at', time: true },
  { header: 'BY', value: 'requestedBy' },
  { header: 'OUTCOME', value: 'outcome' },
  { header: 'HTTP', value: 'httpStatus' },
  { header: 'MS', value: 'latencyMs' },
  { header: 'ERROR / NOTE', value: (a) => a.error ?? a.note, width: 30 },
  { header: 'URL', value: 'url', width: 50 },
];

const transferColumns: Column[] = [
  { header: 'ID', value: 'id' },
  { header: 'KIND', value: 'kind' },
  { header: 'FROM', value: 'from' },
  { header: 'TO', value: 'to' },
  { header: 'AMOUNT', value: 'amount' },
  { header: 'CURRENCY', value: 'currency' },
  { header: 'MATCH', value: 'matchId' },
  { header: 'CREATED', value: 'createdAt', time: true },
];

const matchColumns: Column[] = [
  { header: 'MATCH', value: 'matchId' },
  { header: 'CLIENT', value: 'clientId' },
  { header: 'MODE', value: 'mode' },
  { header: 'STATUS', value: 'status' },
  { header: 'ENTRY FEE', value: (m) => `${m.entryFee} ${m.currency}` },
  { header: 'CREATED', value: 'createdAt', time: true },
  { header: 'DEADLINE', value: 'deadlineAt', time: true },
  { header: 'DECIDED', value: 'decidedAt', time: true },
  { header: 'ABORT REASON', value: 'abortReason' },
  { header: 'RESULT', value: 'result', width: 100 },
  { header: 'SETTLEMENT', value: 'settlement', width: 100 },
];

const playerRows = (answer: any) =>
  answer.match.teams.flatMap((team: any) =>
    team.participants.map((player: any) => ({ team: team.id, forfeited: team.forfeited, ...player })),
  );

const payoutColumns: Column[] = [
  { header: 'ID', value: 'id' },
  { header: 'AGENT', value: 'agent' },
  { header: 'UID', value: 'uid' },
  { header: 'EVENT', value: 'eventId' },
  { header: 'AMOUNT', value: (p) => `${p.amount} ${p.currency}` },
  { header: 'STATUS', value: 'status' },
  { header: 'ATTEMPTS', value: 'attempts' },
  { header: 'CREATED', value: 'createdAt', time: true },
  { header: 'LAST ERROR', value: 'lastError', width: 30 },
];

/** A deposit or a withdrawal: the user, amount and currency as arguments, the idempotency key as `--key`. */
function movement(name: string, path: string, summary: string): OperatorCommand {
  return {
    name,
    args: ['USER', 'AMOUNT', 'CURRENCY'],
    summary,
    method: 'POST',
    path,
    flags: { key: 'idempotency key: give the same one to repeat the request safely (default: a new one)' },
    body: ({ args, flags }) => ({
      userId: args.USER,
      amount: integerOrText(args.AMOUNT!),
      currency: args.CURRENCY,
      idempotencyKey: flags.key ?? `cli-${randomUUID()}`,
    }),
    view: recordOf(
      [
        ...transferColumns,
        { header: 'KEY', value: 'idempotencyKey' },
        { header: 'BALANCE AFTER', value: 'balanceAfter' },
      ],
      (a) => a.transfer,
    ),
  };
}

export const operatorCommands: OperatorCommand[] = [
  {
    name: 'deliveries list',
    summary: 'Outbound deliveries (callbacks, payouts, pushes), newest first',
    method: 'GET',
    path: '/deliveries',
    query: {
      status: 'pending, delivered, dead or cancelled',
      topic: 'e.g. room.created, freespin.payout, match.created',
      app: 'a Tencent SDKAppID',
      agent: 'a JDB agent (parent)',
      client: 'an OkLetsPlay client id',
      ...timeRange,
    },
    paged: true,
    view: rowsOf('deliveries', deliveryColumns),
  },
  {
    name: 'deliveries show',
    args: ['ID'],
    summary: 'A delivery with its attempts, newest first',
    method: 'GET',
    path: '/deliveries/{ID}',
    view: sections(
      [
        '',
        recordOf([
          ...deliveryColumns.slice(0, 5),
          { header: 'EVENT ID', value: 'eventId' },
          { header: 'IN FLIGHT', value: 'inFlight' },
          { header: 'TARGET URL', value: 'targetUrl', width: 100 },
          { header: 'CREATED', value: 'createdAt', time: true },
          { header: 'QUEUED', value: 'queuedAt', time: true },
          { header: 'NEXT ATTEMPT', value: 'nextAttemptAt', time: true },
          { header: 'DELIVERED', value: 'deliveredAt', time: true },
          { header: 'LAST ERROR', value: 'lastError', width: 100 },
          { header: 'PAYLOAD', value: 'payload', width: 100 },
        ]),
      ],
      ['Attempts', rowsOf('attemptHistory', attemptColumns)],
    ),
  },
  {
    name: 'deliveries retry',
    args: ['ID'],
    summary: 'Try a pending or dead delivery now',
    method: 'POST',
    path: '/deliveries/{ID}/retry',
    view: line((a) => `delivery ${a.retried}: due now`),
  },
  {
    name: 'deliveries replay',
    args: ['ID'],
    summary: 'Send a delivered (or dead) delivery again: same event id and body',
    method: 'POST',
    path: '/deliveries/{ID}/replay',
    view: line((a) => `delivery ${a.replayed}: queued to be sent again`),
  },
  {
    name: 'ledger balance',
    args: ['USER'],
    summary: "A user's balance in each currency",
    method: 'GET',
    path: '/ledger/accounts/{USER}',
    view: rowsOf('balances', [
      { header: 'CURRENCY', value: 'currency' },
      { header: 'BALANCE', value: 'balance' },
    ]),
  },
  {
    name: 'ledger transfers',
    args: ['USER'],
    summary: "A user's latest transfers, newest first",
    method: 'GET',
    path: '/ledger/accounts/{USER}',
    query: { limit: 'how many (default 50, at most 500)' },
    view: rowsOf('transfers', [
      ...transferColumns.slice(0, 2),
      { header: 'CHANGE', value: 'change' },
      { header: 'CURRENCY', value: 'currency' },
      { header: 'BALANCE AFTER', value: 'balanceAfter' },
      { header: 'MATCH', value: 'matchId' },
      { header: 'KEY', value: 'idempotencyKey', width: 24 },
      { header: 'CREATED', value: 'createdAt', time: true },
    ]),
  },
  movement('ledger deposit', '/ledger/deposits', "Credit a user's account (AMOUNT in integer minor units)"),
  movement('ledger withdraw', '/ledger/withdrawals', "Debit a user's account (AMOUNT in integer minor units)"),
  {
    name: 'ledger summary',
    summary: 'Per currency: users, escrow, fees, outside, deposited, withdrawn',
    method: 'GET',
    path: '/ledger/summary',
    view: sections(
      [
        '',
        rowsOf(
          'currencies',
          ['currency', 'users', 'escrow', 'fees', 'external', 'deposited', 'withdrawn'].map((field) => ({
            header: field.toUpperCase(),
            value: field,
          })),
        ),
      ],
      ['', line((a) => `accounts below zero: ${a.negativeAccounts}`)],
    ),
  },
  {
    name: 'matches list',
    summary: 'OkLetsPlay matches, newest first',
    method: 'GET',
    path: '/oklp/matches',
    query: {
      clientId: 'an OkLetsPlay client id',
      status: 'live, settled or aborted',
      mode: 'sync or async',
      ...timeRange,
    },
    paged: true,
    view: rowsOf('items', matchColumns.slice(0, 8)),
  },
  {
    name: 'battles list',
    summary: 'Tencent PK battles, newest first',
    method: 'GET',
    path: '/tencent/battles',
    query: { sdkAppId: 'a Tencent SDKAppID', roomId: 'a room in the battle', status: 'running or ended', ...timeRange },
    paged: true,
    view: rowsOf('items', [
      { header: 'APP', value: 'sdkAppId' },
      { header: 'BATTLE', value: 'battleId' },
      { header: 'STATUS', value: 'status' },
      { header: 'SCORES', value: (b) => b.rooms.map((r: any) => `${r.roomId}=${r.score}`).join(' '), width: 60 },
      { header: 'CREATED', value: 'createdAt', time: true },
      { header: 'ENDS', value: 'endsAt', time: true },
      { header: 'END REASON', value: 'endReason' },
    ]),
  },
  {
    name: 'audit list',
    summary: 'Admin writes (who, what, outcome), newest first',
    method: 'GET',
    path: '/audit',
    query: {
      actor: "a token's name, or token:<fingerprint>",
      route: 'a route template, e.g. /ledger/deposits',
      outcome: 'ok or error',
      from: 'recorded at or after this time (epoch ms)',
      to: 'recorded before this time (epoch ms)',
    },
    paged: true,
    view: rowsOf('items', [
      { header: 'ID', value: 'id' },
      { header: 'AT', value: 'at', time: true },
      { header: 'ACTOR', value: 'actor' },
      { header: 'METHOD', value: 'method' },
      { header: 'ROUTE', value: 'route', width: 40 },
      { header: 'STATUS', value: 'status' },
      { header: 'ERROR', value: 'errorCode' },
    ]),
  },
  {
    name: 'matches show',
    args: ['ID'],
    summary: 'A match, its players, result and settlement, and its ledger transfers',
    method: 'GET',
    path: '/oklp/matches/{ID}',
    view: sections(
      ['', recordOf(matchColumns, (a) => a.match)],
      [
        'Players',
        (answer) =>
          formatTable(playerRows(answer), [
            { header: 'TEAM', value: 'team' },
            { header: 'PLAYER', value: 'id' },
            { header: 'FORFEITED', value: 'forfeited' },
            { header: 'SUBMISSIONS', value: 'submissions' },
            { header: 'BEST SCORE', value: 'bestScore' },
          ]),
      ],
      ['Transfers', rowsOf('transfers', transferColumns)],
    ),
  },
  {
    name: 'matches abort',
    args: ['ID'],
    summary: 'Call a live match off; every entry fee is refunded',
    method: 'POST',
    path: '/oklp/matches/{ID}/abort',
    flags: { reason: 'why the match is called off (required)' },
    required: ['reason'],
    body: ({ flags }) => ({ reason: flags.reason }),
    view: recordOf(matchColumns.slice(0, 4).concat({ header: 'ABORT REASON', value: 'abortReason' }), (a) => a.match),
  },
  {
    name: 'jdb payouts list',
    summary: 'JDB free-spin payouts (Action 16), newest first',
    method: 'GET',
    path: '/jdb/payouts',
    query: { agent: 'a JDB agent (parent)', status: 'pending, paid or given_up', ...timeRange },
    paged: true,
    view: rowsOf('items', payoutColumns),
  },
  {
    name: 'jdb payouts show',
    args: ['ID'],
    summary: 'A payout (by its delivery id) with every attempt to pay it',
    method: 'GET',
    path: '/jdb/payouts/{ID}',
    view: sections(
      [
        '',
        recordOf([
          ...payoutColumns,
          { header: 'TRANSFER ID', value: 'transferId' },
          { header: 'WALLET URL', value: 'walletUrl', width: 100 },
          { header: 'PAID', value: 'paidAt', time: true },
        ]),
      ],
      ['Attempts', rowsOf('attemptHistory', attemptColumns)],
    ),
  },
];
