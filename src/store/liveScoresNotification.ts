import { type RawBuilder, sql } from 'kysely';
import { MAX_NOTIFY_PAYLOAD_BYTES } from './notifications.js';
import { slot } from './query.js';

/**
 * The body of a CTE that sends the live event `battle.scores` of the battle whose rooms the
 * CTE `rows` holds (room_id, score, owner_id, position), on the channel in the slot
 * `liveChannel`, as the live event bus sends it (a JSON array of one event, the same JSON as
 * its publish gives): the bus's extra statement saved. PostgreSQL delivers it when the
 * statement commits, and never if it does not. It is sent only when `when` holds over the
 * rows, and only when it fits a notification (the bus drops an event that does not fit).
 * `battleId` and `at` are SQL over the rows; `appId` is the slot of that name. PostgreSQL runs
 * the CTE only if the statement reads it: select `sentCount` of it.
 */
export function battleScoresNotification(
  rows: string,
  { battleId, at, when }: { battleId: RawBuilder<unknown>; at: RawBuilder<unknown>; when?: RawBuilder<boolean> },
): RawBuilder<unknown> {
  const table = sql.table(rows);
  return sql`select pg_notify(cast(${slot('liveChannel')} as text), event.payload)
    from (
      select cast(json_build_array(json_build_object(
          'type', 'battle.scores', 'at', ${at}, 'appId', cast(${slot('appId')} as bigint), 'battleId', ${battleId},
          'scores', json_agg(json_build_object('roomId', room_id, 'score', score, 'ownerId', owner_id) order by position)
        )) as text) as payload
      from ${table}
      having count(*) > 0${when ? sql` and ${when}` : sql``}
    ) as event
    where octet_length(event.payload) <= ${sql.lit(MAX_NOTIFY_PAYLOAD_BYTES)}`;
}

/** A column of how many notifications the CTE `notified` (a battleScoresNotification) sent. */
export function sentCount(notified: string): RawBuilder<number> {
  return sql<number>`(select count(*) from ${sql.table(notified)})`;
}
