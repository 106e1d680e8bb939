// Reading a playbook file: YAML or JSON (JSON is read by the YAML parser too, so both get line numbers), checked by
// the schema, then by checkPlaybook. Every problem names the file, the line and the field.
import { LineCounter, parseDocument } from 'yaml';
import { QuellError, type ApiIssue } from '../api/index.js';
import { Playbook } from '../model/index.js';
import { checkPlaybook } from './compile.js';

export type PlaybookFormat = 'yaml' | 'json' | 'cacao';

export interface LoadedDocument {
  /** The parsed document, before any schema check. */
  readonly data: unknown;
  readonly format: PlaybookFormat;
  /** Line (1-based) of the value at a path like `steps.2.then.0.type`, or of the nearest parent that exists. */
  lineOf(path: readonly (string | number)[]): number | null;
}

export function readDocument(text: string, file: string): LoadedDocument {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const bad = doc.errors[0];
  if (bad) {
    const at = bad.linePos?.[0];
    const where = at ? `line ${at.line}, column ${at.col}` : 'somewhere';
    throw new QuellError('invalid_input', `${file}: ${where}: ${bad.message.split('\n')[0]}`, {
      issues: [{ path: at ? `line ${at.line}` : 'file', message: bad.message.split('\n')[0] ?? bad.message }],
    });
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const trimmed = text.trimStart();
  const isCacao = !!data && typeof data === 'object' && 'spec_version' in data && 'workflow' in data;
  return {
    data,
    format: isCacao ? 'cacao' : trimmed.startsWith('{') || trimmed.startsWith('[') ? 'json' : 'yaml',
    lineOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        if (node?.range) return lines.linePos(node.range[0]).line;
      }
      return null;
    },
  };
}

/** Schema then semantic check of a Quell playbook document; throws one error listing every problem with its line. */
export function parseQuellPlaybook(doc: LoadedDocument, file: string): Playbook {
  const parsed = Playbook.safeParse(doc.data);
  if (!parsed.success) {
    const issues: ApiIssue[] = parsed.error.issues.map((issue) => {
      const line = doc.lineOf(issue.path as (string | number)[]);
      return { path: issue.path.join('.') || '(top)', message: `${line ? `line ${line}: ` : ''}${issue.message}` };
    });
    throw invalid(file, issues);
  }
  const issues = checkPlaybook(parsed.data).map((issue) => {
    const line = doc.lineOf(pathSegments(issue.path));
    return { path: issue.path, message: `${line ? `line ${line}: ` : ''}${issue.message}` };
  });
  if (issues.length) throw invalid(file, issues);
  return parsed.data;
}

function invalid(file: string, issues: ApiIssue[]): QuellError {
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new QuellError('invalid_input', `${file}: ${first.path}: ${first.message}${more}`, { issues });
}

/** `steps[2].then[0].when` → ['steps', 2, 'then', 0, 'when']. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}
