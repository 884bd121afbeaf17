import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Tables } from './tables.js';

/** PostgreSQL's own payload limit is 8000 bytes; stay under it with room to spare. */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7800;

/**
 * Cross-process messages over PostgreSQL LISTEN/NOTIFY, on one channel per schema. Best
 * effort by nature: a process that is not listening at the moment misses the message.
 */
export class PostgresNotifications {
  private listener: pg.Client | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Closed with this one: whoever closes the database closes every channel of it. */
  private readonly siblings: PostgresNotifications[] = [];

  constructor(
    private readonly db: Kysely<Tables>,
    private readonly clientConfig: pg.ClientConfig,
    readonly channel: string,
  ) {}

  /** Notifications of the same database on another channel (`<this channel>_<name>`), listened to apart. */
  sibling(name: string): PostgresNotifications {
    const sibling = new PostgresNotifications(this.db, this.clientConfig, `${this.channel}_${name}`);
    this.siblings.push(sibling);
    return sibling;
  }

  /** Sends each payload as its own notification, all in one statement. */
  async notify(payloads: string[]): Promise<void> {
    if (payloads.length === 0) return;
    const calls = payloads.map((payload) => sql`pg_notify(${this.channel}, ${payload})`);
    await sql`select ${sql.join(calls)}`.execute(this.db);
  }

  /** Listens on a dedicated connection, reconnecting after failures until closed. */
  async listen(onPayload: (payload: string) => void, onError: (error: Error) => void): Promise<void> {
    const client = new pg.Client(this.clientConfig);
    client.on('notification', (message) => {
      if (message.channel === this.channel && message.payload !== undefined) onPayload(message.payload);
    });
    const reconnect = (error: Error) => {
      if (this.closed || this.listener !== client) return;
      onError(error);
      this.listener = undefined;
      client.end().catch(() => {});
      this.retryTimer = setTimeout(() => {
        this.listen(onPayload, onError).catch(reconnect);
      }, 1000);
      this.retryTimer.unref();
    };
    client.on('error', reconnect);
    client.on('end', () => reconnect(new Error('listener connection ended')));
    this.listener = client;
    await client.connect();
    await client.query(`listen "${this.channel}"`);
  }

  async close(): Promise<void> {
    await Promise.all(this.siblings.map((sibling) => sibling.close()));
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.listener;
    this.listener = undefined;
    await client?.end().catch(() => {});
  }
}
