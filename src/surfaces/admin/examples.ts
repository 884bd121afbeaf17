/**
 * The names the admin API's documented examples use (and the example objects more than one
 * route shows), so that the examples of all routes
 * describe one believable deployment (test/surfaces/admin/examples.test.ts configures a server
 * with these tenants and sends every documented example to it).
 */
export const exampleNames = {
  /** A Tencent app (SDKAppID) and its rooms, users and gifts. */
  sdkAppId: 1400188366,
  room: 'live-room-1',
  otherRoom: 'live-room-2',
  owner: 'host-anna',
  viewer: 'viewer-ben',
  gift: 'rose',
  category: 'flowers',
  /** A JDB agent (parent), a slot game (mType) and a player (uid). */
  parent: 'demoag',
  mType: 14077,
  uid: 'player-1',
  /** An OkLetsPlay game client and two players. */
  clientId: 'blitz-arena',
  users: ['player-1', 'player-2'],
  /** A time: 2025-12-01T00:00:00Z. */
  at: 1764547200000,
} as const;

/** A match's id, as Ringside makes them (24 hex characters). */
export const exampleMatchId = '66a1f0c2b4e5d6f7a8b9c0d1';

/** The entry fee the first player paid into the example match, as a transfer. */
export const exampleEntryFee = {
  id: 41,
  idempotencyKey: `match:${exampleMatchId}:entry:${exampleNames.users[0]}`,
  kind: 'entry_fee' as const,
  from: `user:USD:${exampleNames.users[0]}`,
  to: `escrow:USD:${exampleMatchId}`,
  currency: 'USD',
  amount: 500,
  matchId: exampleMatchId,
  balanceAfter: 1500,
  createdAt: exampleNames.at + 60_000,
};
