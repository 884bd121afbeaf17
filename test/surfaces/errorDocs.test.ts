import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { adminRefusals, domainErrorToStatus } from '../../src/surfaces/admin/errorCodes.js';
import { domainErrorToJdb, JdbStatus } from '../../src/surfaces/jdb/errorCodes.js';
import { domainErrorToOklp, oauthErrorNames, surfaceErrors } from '../../src/surfaces/oklp/errorCodes.js';
import {
  domainErrorToTencent,
  giftRefusalPassThrough,
  TencentCode,
  userSigFailureToTencent,
} from '../../src/surfaces/tencent/errorCodes.js';

/**
 * Ties each surface's error tables to its documentation (as Fastify's own tests tie
 * `lib/errors.js` to its docs): every code a surface can answer is documented, and every
 * documented code can be answered.
 */

/** The rows of every Markdown table in `doc` whose header starts with `firstHeaders`. */
function tableRows(doc: string, firstHeaders: string[]): string[][] {
  const lines = readFileSync(new URL(`../../docs/${doc}`, import.meta.url), 'utf8').split('\n');
  const rows: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    const header = cells(lines[i]!);
    const matches = firstHeaders.every((name, column) => header[column] === name);
    if (!matches || !/^\|[-| ]+\|$/.test(lines[i + 1] ?? '')) continue;
    for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(cells(lines[i]!));
  }
  assert.ok(rows.length > 0, `docs/${doc} has a table headed ${firstHeaders.join(' | ')}`);
  return rows;
}

function cells(line: string): string[] {
  if (!line.startsWith('|')) return [];
  return line
    .slice(1, -1)
    .split('|')
    .map((cell) => cell.trim());
}

/** `` `a`, `b` `` → ['a', 'b']. */
function codeNames(cell: string): string[] {
  return [...cell.matchAll(/`([a-z_]+)`/g)].map((match) => match[1]!);
}

function sorted<T>(values: Iterable<T>): T[] {
  return [...new Set(values)].sort();
}

describe('error codes: code and docs agree', () => {
  it('Tencent: every ErrorCode answered is in docs/tencent.md, and every documented code is answered', () => {
    const answered = new Set<string>(
      [
        ...Object.values(TencentCode).filter((code) => code !== TencentCode.ok),
        ...Object.values(userSigFailureToTencent).map((failure) => failure.code),
        ...Object.values(domainErrorToTencent),
      ].map(String),
    );
    answered.add(`${giftRefusalPassThrough.min}–${giftRefusalPassThrough.max}`);
    const documented = tableRows('tencent.md', ['code']).map((row) => row[0]!);
    assert.deepEqual(sorted(documented), sorted(answered));
  });

  it('JDB: every status answered is in docs/jdb.md, and every documented status is answered', () => {
    const answered = new Set<string>([
      ...Object.values(JdbStatus).filter((status) => status !== JdbStatus.ok),
      ...Object.values(domainErrorToJdb.all),
      ...[...domainErrorToJdb.byAction.values()].flatMap((table) => Object.values(table)),
    ]);
    const documented = tableRows('jdb.md', ['status', 'when']).map((row) => row[0]!);
    assert.deepEqual(sorted(documented), sorted(answered));
  });

  it('OkLetsPlay realm: every OAuth2 error answered is in docs/oklp.md, and every documented one is answered', () => {
    const documented = tableRows('oklp.md', ['status', '`error`']).flatMap((row) => codeNames(row[1]!));
    assert.deepEqual(sorted(documented), sorted(oauthErrorNames));
  });

  it('OkLetsPlay game API: every status and code answered is in docs/oklp.md, and every documented one is answered', () => {
    const answered = [
      ...Object.values(surfaceErrors).map((refusal) => refusal('')),
      ...Object.values(domainErrorToOklp),
    ].map(({ status, code }) => `${status} ${code}`);
    const documented = tableRows('oklp.md', ['status', '`code`']).flatMap((row) =>
      codeNames(row[1]!).map((code) => `${row[0]} ${code}`),
    );
    assert.deepEqual(sorted(documented), sorted(answered));
  });

  it('admin API: every status and code answered is in docs/admin.md, and every documented one is answered', () => {
    const answered = [
      ...Object.values(adminRefusals).map((refusal) => refusal('')),
      ...Object.entries(domainErrorToStatus).map(([code, status]) => ({ status, code })),
    ].map(({ status, code }) => `${status} ${code}`);
    const documented = tableRows('admin.md', ['status', '`code`']).flatMap((row) =>
      codeNames(row[1]!).map((code) => `${row[0]} ${code}`),
    );
    assert.deepEqual(sorted(documented), sorted(answered));
  });
});
