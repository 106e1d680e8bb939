// A playbook file in any format Quell reads (Quell YAML/JSON, CACAO 2.0 JSON) → a checked Quell playbook, and the
// conversions between the two. What a CACAO conversion could not carry over one to one comes back as notes.
import { stringify } from 'yaml';
import type { Playbook } from '../model/index.js';
import { fromCacao, toCacao } from './cacao/index.js';
import { parseQuellPlaybook, readDocument, type LoadedDocument, type PlaybookFormat } from './load.js';

export interface MappingNote {
  kind: string;
  path: string;
  message: string;
}

const notesOf = (report: { kind: string; path: string; message: string }[]): MappingNote[] =>
  report.map((n) => ({ kind: n.kind, path: n.path, message: n.message }));

export function playbookFromText(text: string, file: string): { playbook: Playbook; format: PlaybookFormat; notes: MappingNote[] } {
  const doc = readDocument(text, file);
  if (doc.format === 'cacao') {
    const { playbook, report } = fromCacao(doc.data);
    // The converted playbook goes through the same checks as a written one (expressions, actions, ids).
    const converted: LoadedDocument = { data: playbook, format: 'cacao', lineOf: () => null };
    return { playbook: parseQuellPlaybook(converted, file), format: 'cacao', notes: notesOf(report) };
  }
  return { playbook: parseQuellPlaybook(doc, file), format: doc.format, notes: [] };
}

export function convertPlaybookText(text: string, file: string, to: 'cacao' | 'quell', now: string): { text: string; format: 'yaml' | 'cacao'; notes: MappingNote[] } {
  const loaded = playbookFromText(text, file);
  if (to === 'quell') return { text: stringify(loaded.playbook, { lineWidth: 120 }), format: 'yaml', notes: loaded.notes };
  const { doc, report } = toCacao(loaded.playbook, { now });
  return { text: `${JSON.stringify(doc, null, 2)}\n`, format: 'cacao', notes: [...loaded.notes, ...notesOf(report)] };
}
