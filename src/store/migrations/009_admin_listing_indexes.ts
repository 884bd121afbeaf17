import type { Migration } from './index.js';

/**
 * Indexes for the admin API's listings: each serves a listing's keyset order, newest first by
 * (time, id), under the filter it is scoped by. None covers a column a hot path updates
 * (battle scores, grant counters, balances), so those updates write no more than before; an
 * insert writes one entry more per index.
 */
export const adminListingIndexes: Migration = {
  name: '009_admin_listing_indexes',
  async up(db) {
    const index = (name: string, table: string, columns: string[]) =>
      db.schema.createIndex(name).on(table).columns(columns).execute();
    await index('rooms_by_creation', 'rooms', ['app_id', 'created_at', 'room_id']);
    await index('rooms_of_owner_by_creation', 'rooms', ['app_id', 'owner_id', 'created_at', 'room_id']);
    await index('battles_by_creation', 'battles', ['created_at', 'battle_id']);
    await index('battles_of_app_by_creation', 'battles', ['app_id', 'created_at', 'battle_id']);
    // A room's battles, running or ended (the partial unique index holds only running ones).
    await index('battle_rooms_by_room', 'battle_rooms', ['app_id', 'room_id']);
    await index('matches_by_creation', 'matches', ['created_at', 'match_id']);
    await index('matches_of_client_by_creation', 'matches', ['client_id', 'created_at', 'match_id']);
    // Balances change on every transfer; this index leaves the balance out, so it is written once per account.
    await index('ledger_accounts_by_creation', 'ledger_accounts', ['created_at', 'account_id']);
    // Transfers are listed by id, which the existing (account, id) indexes serve.
    await index('freespin_events_by_creation', 'freespin_events', ['agent', 'created_at', 'event_id']);
    // Spins update a grant's counters, never its binding time.
    await index('freespin_grants_of_event_by_binding', 'freespin_grants', ['agent', 'event_id', 'bound_at', 'id']);
    await index('freespin_spins_of_player_by_time', 'freespin_spins', ['agent', 'uid', 'played_at', 'id']);
  },
};
