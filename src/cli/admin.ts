import { parseArgs } from 'node:util';
import { type OperatorCommand, operatorCommands } from './commands.js';

/** Where the admin API is when neither `--url` nor RINGSIDE_URL says: `ringside serve`'s default. */
const DEFAULT_URL = 'http://127.0.0.1:8080';
/** Longer than any admin request takes; a server that does not answer by then is reported. */
const TIMEOUT_MS = 30_000;

const commonFlags = '[--url URL] [--token TOKEN] [--json]';

/** The first word of every operator command (`deliveries`, `ledger`, …). */
export function isOperatorGroup(word: string): boolean {
  return operatorCommands.some((command) => command.name.split(' ')[0] === word);
}

/** One line per operator command, for `ringside help`. */
export function operatorUsage(): string {
  return `Operator commands (over the admin API; every one takes ${commonFlags}):
${summaryLines(operatorCommands)}
  The server is --url or RINGSIDE_URL (default ${DEFAULT_URL}); the admin token is --token or
  RINGSIDE_ADMIN_TOKEN (a flag wins over the environment). --json prints the API's answer as is.
  \`ringside <command> --help\` shows a command's flags.
`;
}

/** One line per command: its words, arguments and required flags, and what it does. */
function summaryLines(commands: OperatorCommand[]): string {
  const synopses = commands.map((command) =>
    [
      command.name,
      ...(command.args ?? []),
      ...(command.required ?? []).map((flag) => `--${flag} ${flag.toUpperCase()}`),
    ].join(' '),
  );
  const width = Math.max(...synopses.map((synopsis) => synopsis.length));
  return commands.map((command, i) => `  ringside ${synopses[i]!.padEnd(width)}  ${command.summary}`).join('\n');
}

/** A command's synopsis with every flag it takes, and what each takes. */
function commandUsage(command: OperatorCommand): string {
  const flags = { ...command.query, ...command.flags, ...(command.paged ? pageFlags : {}) };
  const synopsis = [
    `ringside ${command.name}`,
    ...(command.args ?? []),
    ...Object.keys(flags).map((flag) =>
      command.required?.includes(flag) ? `--${flag} ${flag.toUpperCase()}` : `[--${flag} ${flag.toUpperCase()}]`,
    ),
    commonFlags,
  ].join(' ');
  const details = Object.entries(flags).map(([flag, what]) => `  --${flag}: ${what}`);
  return [`Usage: ${synopsis}`, `  ${command.summary}`, ...details, ''].join('\n');
}

const pageFlags = {
  limit: 'page size',
  cursor: 'the next cursor a previous page showed',
};

type Out = (text: string) => void;
const out: Out = (text) => process.stdout.write(text);
const err: Out = (text) => process.stderr.write(text);

/** Runs `ringside <group> <verb> …`; resolves with the exit code. */
export async function runOperatorCommand(argv: string[]): Promise<number> {
  const command = findCommand(argv);
  if (!command) {
    const words = argv.filter((word) => !word.startsWith('-')).join(' ');
    const group = operatorCommands.filter((c) => c.name.startsWith(`${argv[0]} `));
    err(`ringside: unknown command: ${words}\n\n${summaryLines(group)}\n`);
    return 1;
  }
  const rest = argv.slice(command.name.split(' ').length);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...stringFlags(command),
      },
    });
  } catch (error) {
    err(`ringside ${command.name}: ${(error as Error).message}\n\n${commandUsage(command)}`);
    return 1;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(commandUsage(command));
    return 0;
  }
  const problem = inputProblem(command, positionals, values);
  if (problem) {
    err(`ringside ${command.name}: ${problem}\n\n${commandUsage(command)}`);
    return 1;
  }

  const token = (values.token as string | undefined) || process.env.RINGSIDE_ADMIN_TOKEN;
  if (!token) {
    err('ringside: no admin token: give --token or set RINGSIDE_ADMIN_TOKEN\n');
    return 1;
  }
  const base = (values.url as string | undefined) || process.env.RINGSIDE_URL || DEFAULT_URL;
  const args = Object.fromEntries((command.args ?? []).map((name, i) => [name, positionals[i]!]));
  const flags = values as Record<string, string | undefined>;
  let url: URL;
  try {
    url = requestUrl(base, command, args, flags);
  } catch {
    err(`ringside: the server URL "${base}" is not a URL (--url or RINGSIDE_URL)\n`);
    return 1;
  }

  const result = await call(command, url, token, command.body?.({ args, flags }));
  if ('failure' in result) {
    err(`ringside: ${result.failure}\n`);
    return 1;
  }
  const { text, answer } = result;
  if (values.json) {
    out(text.endsWith('\n') ? text : `${text}\n`);
    return 0;
  }
  out(command.view(answer));
  if (command.paged && answer.nextCursor)
    out(`\nmore: add --cursor ${answer.nextCursor} (--limit sets the page size)\n`);
  return 0;
}

/** The API's answer (its text and JSON), or why there is none: the message after `ringside: `. */
async function call(
  command: OperatorCommand,
  url: URL,
  token: string,
  body: unknown,
): Promise<{ text: string; answer: any } | { failure: string }> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: command.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    return { failure: `cannot reach the admin API at ${url.origin}: ${networkReason(error)} (--url or RINGSIDE_URL)` };
  }
  let answer: any;
  try {
    answer = JSON.parse(text);
  } catch {
    return {
      failure: `HTTP ${response.status} from ${url.origin}${url.pathname} is not JSON: is it a Ringside server?`,
    };
  }
  if (!response.ok) {
    const { code, message } = answer?.error ?? {};
    return { failure: code ? `${code}: ${message}` : `HTTP ${response.status}: ${text.slice(0, 200)}` };
  }
  return { text, answer };
}

/** The command whose words start `argv`, the longest such. */
function findCommand(argv: string[]): OperatorCommand | undefined {
  return operatorCommands
    .filter((command) => command.name.split(' ').every((word, i) => argv[i] === word))
    .sort((a, b) => b.name.length - a.name.length)[0];
}

function stringFlags(command: OperatorCommand) {
  const names = [...Object.keys({ ...command.query, ...command.flags }), ...(command.paged ? ['limit', 'cursor'] : [])];
  return Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]));
}

function inputProblem(
  command: OperatorCommand,
  positionals: string[],
  values: Record<string, unknown>,
): string | undefined {
  const expected = command.args ?? [];
  if (positionals.length < expected.length) {
    return `missing ${expected.slice(positionals.length).join(' ')}`;
  }
  if (positionals.length > expected.length) return `unexpected argument: ${positionals[expected.length]}`;
  const missing = (command.required ?? []).filter((flag) => !values[flag]);
  if (missing.length > 0) return missing.map((flag) => `--${flag} is required`).join('; ');
  return undefined;
}

function requestUrl(
  base: string,
  command: OperatorCommand,
  args: Record<string, string>,
  flags: Record<string, string | undefined>,
): URL {
  const root = new URL(base);
  if (root.protocol !== 'http:' && root.protocol !== 'https:') throw new Error('not http');
  const path = command.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(args[name]!));
  const url = new URL(`${root.href.replace(/\/+$/, '')}/admin/v1${path}`);
  const queryFlags = [...Object.keys(command.query ?? {}), ...(command.paged ? ['limit', 'cursor'] : [])];
  for (const flag of queryFlags) {
    const value = flags[flag];
    if (value !== undefined) url.searchParams.set(flag, value);
  }
  return url;
}

/** Why a request got no answer, as short as the error allows: `ECONNREFUSED`, `timed out`, … */
function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer in ${TIMEOUT_MS / 1000} s`;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
