import { Type } from '@sinclair/typebox';

/**
 * Field schemas more than one part of the Tencent surface takes. Validated through
 * `platform/validation.ts`, which adds the text-hygiene rules (a property named `RoomId` or
 * `RoomIdList` holds ids: no U+0000, no other control character, no lone surrogate).
 */

/** A room id: 1–48 bytes of UTF-8 (TUILiveKit's `RoomId` limit), in every command and on the live-events socket. */
export const roomId = Type.String({ minLength: 1, maxBytes: 48 });
