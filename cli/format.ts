import type { CaseSummary, CommandOutput, IncidentSummary, JournalEntry, VerifyReport } from '../core/index.js';
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

export const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function printImport(io: CliIo, result: CommandOutput<'evidence.import'>): void {
  const rows = [['FILE', 'FORMAT', 'READ', 'STORED', 'DUPLICATES', 'QUARANTINED', 'SKIPPED']];
  for (const f of result.files) {
    rows.push([f.file, f.format, String(f.read), String(f.stored), String(f.duplicates), String(f.quarantined), String(f.skipped)]);
  }
  const t = result.totals;
  rows.push(['total', '', String(t.read), String(t.stored), String(t.duplicates), String(t.quarantined), String(t.skipped)]);
  io.stdout(table(rows));
  for (const f of result.files) {
    for (const [reason, n] of Object.entries(f.quarantineReasons)) io.stdout(`quarantined in ${f.file}: ${n} × ${reason}\n`);
    for (const [reason, n] of Object.entries(f.skipReasons)) io.stdout(`skipped in ${f.file}: ${n} × ${reason}\n`);
  }
  io.stdout(`${plural(t.incidents, 'incident', 'incidents')} in the case. See them with: quell incidents list --case ID\n`);
}

export function printIncidents(io: CliIo, incidents: IncidentSummary[]): void {
  if (incidents.length === 0) {
    io.stdout('No incidents in this case.\n');
    return;
  }
  for (const i of incidents) {
    io.stdout(`${i.id}  ${i.level.toUpperCase()} (${i.risk})  ${i.title}\n`);
    io.stdout(`  ${plural(i.memberCount, 'member', 'members')}, ${i.firstTs ?? '?'} – ${i.lastTs ?? '?'}, ${i.origin}\n`);
    for (const reason of i.rationale) io.stdout(`  because ${reason}\n`);
    const entities = i.entities.slice(0, 12).map((e) => `${e.type}:${e.canonical}`);
    if (entities.length) io.stdout(`  entities: ${entities.join(', ')}${i.entities.length > 12 ? `, … ${i.entities.length - 12} more` : ''}\n`);
  }
}
