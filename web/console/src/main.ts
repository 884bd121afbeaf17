/** The console's entry point (bundled by scripts/buildConsole.mjs into assets/app-<hash>.js). */
import { ConsoleShell } from './shell.js';

const root = document.getElementById('app');
if (root) void new ConsoleShell(root).start();
