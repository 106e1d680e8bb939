// A playbook file in any format Quell reads (Quell YAML/JSON, CACAO 2.0 JSON) → a checked Quell playbook, and the
// conversions between the two. What a CACAO conversion could not carry over one to one comes back as notes.
import { stringify } from 'yaml';
import { QuellError } from '../api/index.js';
import type { Playbook } from '../model/index.js';
import { parseQuellPlaybook, readDocument, type PlaybookFormat } from './load.js';

export interface MappingNote {
  path: string;
  message: string;
}

export function playbookFromText(text: string, file: string): { playbook: Playbook; format: PlaybookFormat; notes: MappingNote[] } {
  const doc = readDocument(text, file);
  if (doc.format === 'cacao') {
    throw new QuellError('unavailable', `${file}: CACAO import is not built yet.`);
  }
  return { playbook: parseQuellPlaybook(doc, file), format: doc.format, notes: [] };
}

export function convertPlaybookText(text: string, file: string, to: 'cacao' | 'quell', now: string): { text: string; format: 'yaml' | 'cacao'; notes: MappingNote[] } {
  const loaded = playbookFromText(text, file);
  if (to === 'quell') return { text: stringify(loaded.playbook, { lineWidth: 120 }), format: 'yaml', notes: loaded.notes };
  void now;
  throw new QuellError('unavailable', `${file}: CACAO export is not built yet.`);
}
