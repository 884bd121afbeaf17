import type { JdbAction } from '../action.js';
import { eventActions } from './events.js';
import { gameActions } from './games.js';
import { reportActions } from './reports.js';

/** Every JDB action Ringside serves. */
export const jdbActions: JdbAction[] = [...gameActions, ...eventActions, ...reportActions];
