import type { CategoryFields, GiftFields } from './gift.js';

/**
 * What `copy_default_gift_config` installs: three categories and fifteen gifts, the shape of
 * Tencent's default gift configuration (names are Ringside's own).
 */
export const defaultCategories: Array<CategoryFields & { categoryId: string; giftIds: string[] }> = [
  {
    categoryId: 'popular',
    defaultName: 'Popular',
    defaultDesc: 'The gifts sent most',
    extensionInfo: '',
    giftIds: ['heart', 'rose', 'thumbs_up', 'applause', 'star'],
  },
  {
    categoryId: 'luxury',
    defaultName: 'Luxury',
    defaultDesc: 'Full-screen effects',
    extensionInfo: '',
    giftIds: ['rocket', 'castle', 'yacht', 'crown', 'dragon'],
  },
  {
    categoryId: 'fun',
    defaultName: 'Fun',
    defaultDesc: 'Small and playful',
    extensionInfo: '',
    giftIds: ['lollipop', 'balloon', 'donut', 'ice_cream', 'firework'],
  },
];

const gift = (giftId: string, defaultName: string, coins: number, level: number) => ({
  giftId,
  defaultName,
  defaultDesc: '',
  coins,
  level,
  iconUrl: `https://ringside.invalid/gifts/${giftId}.png`,
  resourceUrl: level >= 3 ? `https://ringside.invalid/gifts/${giftId}.mp4` : '',
  extensionInfo: '',
});

export const defaultGifts: Array<GiftFields & { giftId: string }> = [
  gift('heart', 'Heart', 1, 0),
  gift('rose', 'Rose', 5, 0),
  gift('thumbs_up', 'Thumbs up', 1, 0),
  gift('applause', 'Applause', 10, 1),
  gift('star', 'Star', 20, 1),
  gift('rocket', 'Rocket', 1000, 3),
  gift('castle', 'Castle', 3000, 3),
  gift('yacht', 'Yacht', 5000, 4),
  gift('crown', 'Crown', 8000, 4),
  gift('dragon', 'Dragon', 10000, 5),
  gift('lollipop', 'Lollipop', 2, 0),
  gift('balloon', 'Balloon', 3, 0),
  gift('donut', 'Donut', 5, 0),
  gift('ice_cream', 'Ice cream', 8, 1),
  gift('firework', 'Firework', 100, 2),
];
