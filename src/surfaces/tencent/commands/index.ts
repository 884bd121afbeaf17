import type { Command } from '../command.js';
import { roomCommands } from './rooms.js';

/** Every Tencent REST command Ringside serves. */
export const tencentCommands: Command[] = [...roomCommands];
