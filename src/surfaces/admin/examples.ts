/**
 * The names the admin API's documented examples use, so that the examples of all routes
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
