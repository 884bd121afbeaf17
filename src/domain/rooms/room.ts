/** A live room, in Ringside's own words (no vendor field names). */
export interface Room {
  appId: number;
  roomId: string;
  type: string;
  name: string;
  ownerId: string;
  maxMembers: number;
  coverUrl: string;
  backgroundUrl: string;
  messagesDisabled: boolean;
  publicVisible: boolean;
  seatEnabled: boolean;
  seatMode: SeatMode;
  maxSeats: number;
  seatTemplate: string;
  keepOwnerOnSeat: boolean;
  unlimitedMembers: boolean;
  categories: number[];
  activityStatus: number;
  notice: string;
  customInfo: string;
  /** Whether gifts may be sent into the room (Ringside's room switch). */
  giftsEnabled: boolean;
  viewCount: number;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
}

export type SeatMode = 'free' | 'apply';

/** What may change after creation. */
export type RoomChanges = Partial<
  Pick<
    Room,
    | 'name'
    | 'maxMembers'
    | 'coverUrl'
    | 'backgroundUrl'
    | 'messagesDisabled'
    | 'publicVisible'
    | 'seatEnabled'
    | 'seatMode'
    | 'maxSeats'
    | 'keepOwnerOnSeat'
    | 'unlimitedMembers'
    | 'categories'
    | 'activityStatus'
    | 'notice'
    | 'customInfo'
    | 'giftsEnabled'
  >
>;

export type NewRoom = Pick<Room, 'roomId' | 'type' | 'ownerId'> & RoomChanges & Partial<Pick<Room, 'seatTemplate'>>;

/** What a listing of an app's rooms may be narrowed to. */
export interface RoomFilter {
  ownerId?: string;
  /** true: only rooms in a running battle; false: only rooms in none. */
  inBattle?: boolean;
}

/** Totals reported when a room is destroyed. */
export interface RoomStatistic {
  totalViewers: number;
  totalGiftsSent: number;
  totalGiftCoins: number;
  totalUniqueGiftSenders: number;
  totalLikesReceived: number;
}

export interface MetadataEntry {
  key: string;
  value: string;
}

export const roomDefaults = {
  maxMembers: 100_000,
  coverUrl: '',
  backgroundUrl: '',
  messagesDisabled: false,
  publicVisible: true,
  seatEnabled: false,
  seatMode: 'free' as SeatMode,
  maxSeats: 0,
  seatTemplate: '',
  keepOwnerOnSeat: false,
  unlimitedMembers: false,
  categories: [] as number[],
  activityStatus: 0,
  notice: '',
  customInfo: '',
  giftsEnabled: true,
} satisfies Omit<Room, 'appId' | 'roomId' | 'type' | 'name' | 'ownerId' | 'viewCount' | 'createdAt' | 'updatedAt'>;

/** Room metadata limits (Tencent's documented limits, which Ringside adopts as its own). */
export const metadataLimits = {
  maxKeys: 10,
  maxKeyBytes: 50,
  maxValueBytes: 2048,
  maxTotalValueBytes: 16 * 1024,
};

export const roomListMaxPage = 20;
