import type { Command } from '../command.js';
import { battleCommands } from './battles.js';
import { callbackConfigCommands } from './callbackConfig.js';
import { giftCommands } from './gifts.js';
import { roomCommands } from './rooms.js';

/** Every Tencent REST command Ringside serves. */
export const tencentCommands: Command[] = [
  ...roomCommands,
  ...battleCommands,
  ...giftCommands,
  ...callbackConfigCommands,
];
