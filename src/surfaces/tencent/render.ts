import type { Battle, BattleEndReason } from '../../domain/battles/battle.js';
import type { LiveEvent } from '../../domain/events.js';
import type { CatalogEntry, Gift, GiftCategory, Language, Translation } from '../../domain/gifts/gift.js';
import type { Room, RoomStatistic } from '../../domain/rooms/room.js';

/** Domain objects in Tencent's field names, shared by replies, callbacks and live events. */

export const seconds = (ms: number) => Math.floor(ms / 1000);

/** RoomInfo as get_room_info renders it (TakeSeatMode is an integer there: 1 free, 2 apply). */
export function renderRoomInfo(room: Room) {
  return {
    RoomId: room.roomId,
    RoomName: room.name,
    RoomType: room.type,
    Owner_Account: room.ownerId,
    CreateTime: seconds(room.createdAt),
    IsSeatEnabled: room.seatEnabled,
    TakeSeatMode: room.seatMode === 'apply' ? 2 : 1,
    MaxSeatCount: room.maxSeats,
    MaxMemberCount: room.maxMembers,
    IsMessageDisabled: room.messagesDisabled,
    CoverURL: room.coverUrl,
    BackgroundURL: room.backgroundUrl,
    Category: room.categories,
    ActivityStatus: room.activityStatus,
    ViewCount: room.viewCount,
    IsPublicVisible: room.publicVisible,
    IsUnlimitedRoomEnabled: room.unlimitedMembers,
    KeepOwnerOnSeat: room.keepOwnerOnSeat,
    SeatTemplate: room.seatTemplate,
    Notice: room.notice,
    CustomInfo: room.customInfo,
    IsGiftEnabled: room.giftsEnabled,
  };
}

export function renderStatistic(statistic: RoomStatistic) {
  return {
    TotalViewers: statistic.totalViewers,
    TotalGiftsSent: statistic.totalGiftsSent,
    TotalGiftCoins: statistic.totalGiftCoins,
    TotalUniqueGiftSenders: statistic.totalUniqueGiftSenders,
    TotalLikesReceived: statistic.totalLikesReceived,
  };
}

/** Tencent's end-of-battle OpType: 0 time up, 1 ended early (owners left, admin, room gone). */
export function endOpType(reason: BattleEndReason | undefined): number {
  return reason === 'time_up' ? 0 : 1;
}

export const endReasonNames: Record<BattleEndReason, string> = {
  time_up: 'TimeUp',
  ended_by_admin: 'EndedByAdmin',
  room_destroyed: 'RoomDestroyed',
};

/** get_battle_info's `Status`: 1 running, 3 ended (the value in Tencent's sample of an ended battle). */
export const BattleStatusCode = { running: 1, ended: 3 } as const;

export function renderBattleInfo(battle: Battle) {
  const [from, ...to] = battle.rooms.map((room) => ({
    RoomId: room.roomId,
    Score: room.score,
    Owner_Account: room.ownerId,
  }));
  return {
    BattleId: battle.battleId,
    Duration: battle.durationMs,
    CreateTime: seconds(battle.createdAt),
    StartTime: seconds(battle.startedAt),
    EndTime: seconds(battle.endedAt ?? battle.endsAt),
    Status: BattleStatusCode[battle.status],
    ExtensionInfo: battle.extensionInfo,
    ...(battle.status === 'ended'
      ? { OpType: endOpType(battle.endReason), EndReason: endReasonNames[battle.endReason ?? 'time_up'] }
      : {}),
    FromRoomInfo: from,
    ToRoomList: to,
  };
}

/** A live event as the live_events WebSocket sends it. */
export function renderLiveEvent(event: LiveEvent): Record<string, unknown> {
  switch (event.type) {
    case 'battle.started':
      return { Event: 'BattleStarted', EventTime: event.at, BattleInfo: renderBattleInfo(event.battle) };
    case 'battle.scores':
      return {
        Event: 'BattleScoreChanged',
        EventTime: event.at,
        BattleId: event.battleId,
        ScoreList: event.scores.map((s) => ({ RoomId: s.roomId, Score: s.score, Owner_Account: s.ownerId })),
      };
    case 'battle.ended':
      return { Event: 'BattleEnded', EventTime: event.at, BattleInfo: renderBattleInfo(event.battle) };
  }
}

export function renderGift(gift: Gift) {
  return {
    GiftId: gift.giftId,
    IconUrl: gift.iconUrl,
    ResourceUrl: gift.resourceUrl,
    Coins: gift.coins,
    Level: gift.level,
    ExtensionInfo: gift.extensionInfo,
    DefaultName: gift.defaultName,
    DefaultDesc: gift.defaultDesc,
  };
}

export function renderCategory(category: GiftCategory) {
  return {
    CategoryId: category.categoryId,
    ExtensionInfo: category.extensionInfo,
    DefaultName: category.defaultName,
    DefaultDesc: category.defaultDesc,
  };
}

/** The name and description in `language` when set, else the defaults. */
export function localized(entry: CatalogEntry<Gift | GiftCategory>, language: Language | undefined) {
  const translation = entry.translations.find((t) => t.language === language);
  return {
    name: translation?.name ?? entry.item.defaultName,
    desc: translation?.description ?? entry.item.defaultDesc,
  };
}

export const renderGiftLanguage = (t: Translation) => ({ Name: t.name, Desc: t.description, Language: t.language });
export const renderCategoryLanguage = (t: Translation) => ({
  CategoryName: t.name,
  CategoryDesc: t.description,
  Language: t.language,
});
