import { type TSchema, Type } from '@sinclair/typebox';

/** Pieces of the admin API's answers, shared by its routes' response schemas. */

/** The value, or null where there is none. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A time as Unix epoch milliseconds. */
export const EpochMs = Type.Integer({ minimum: 0, description: 'Unix epoch milliseconds' });

/** A page of a listing: its items, newest first, and the cursor of the next page (null on the last). */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Nullable(Type.String({ description: 'pass as `cursor` for the next page' })),
  });

/** A JDB amount (integer thousandths underneath), always with three decimals. */
export const JdbAmount = Type.String({
  pattern: '^-?[0-9]+\\.[0-9]{3}$',
  description: 'a decimal with three decimals, e.g. "1.500"',
});
