import type { CaseSummary, JournalEntry, VerifyReport } from '../core/index.js';
import type { CliIo } from './io.js';

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ')).join('\n') + '\n';
}

export function printCases(io: CliIo, cases: CaseSummary[]): void {
  if (cases.length === 0) {
    io.stdout('No cases yet. Create one with: quell case new NAME\n');
    return;
  }
  io.stdout(table([['ID', 'STATUS', 'CREATED', 'NAME'], ...cases.map((c) => [c.id, c.status, c.createdAt, c.name])]));
}

export function printJournal(io: CliIo, entries: JournalEntry[]): void {
  if (entries.length === 0) {
    io.stdout('No journal entries.\n');
    return;
  }
  io.stdout(
    table([
      ['SEQ', 'AT', 'CASE', 'ACTOR', 'ACTION'],
      ...entries.map((e) => [String(e.seq), e.at, e.caseId ?? '-', `${e.actor.kind}:${e.actor.id}`, e.action]),
    ]),
  );
}

export function printVerify(io: CliIo, report: VerifyReport): void {
  const scope = report.scope === 'all' ? 'journal' : `journal of case ${report.scope}`;
  if (report.ok) {
    io.stdout(
      `${scope} intact: ${plural(report.entriesChecked, 'entry', 'entries')} in ${plural(report.chainsChecked, 'chain', 'chains')} checked, head at entry ${report.headSeq}\n`,
    );
  } else {
    const bad = report.firstBad!;
    io.stdout(`${scope} BROKEN at entry ${bad.seq} (${bad.reason}): ${bad.message}\n`);
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
