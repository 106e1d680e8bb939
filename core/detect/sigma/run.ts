// `sigma.run`: every loaded rule over a case's stored records; each detection becomes an alert row linked to the
// matching record's entities, all in one journaled transaction, then the case's incidents are regrouped.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { QuellError } from '../../api/errors.js';
import { regroupIncidents } from '../../ingest/incidents.js';
import { fromLevelName } from '../../ingest/severity.js';
import { parseZeekLine, type ZeekHeader } from '../../ingest/framing.js';
import type { Actor, NormalizedEvent, SigmaDetection, SigmaRejection } from '../../model/index.js';
import type { Clock } from '../../runtime.js';
import type { Store } from '../../store/index.js';
import type { SigmaEngine } from './engine.js';
import { loadRules } from './load.js';
import type { CompiledRule } from './rule.js';
import { sigmaAttack } from '../attack/index.js';
import type { Raw, RecordView } from './sources.js';

export interface SigmaRunInput {
  caseId: string;
  /** A rule file or folder, absolute; the caller resolves the default (the shipped rules). */
  rulesPath: string;
}

export interface SigmaRunResult {
  rulesPath: string;
  rules: { loaded: number; rejected: SigmaRejection[]; unroutable: number };
  /** Records of the case read (records of formats no loaded rule applies to are not read). */
  records: number;
  /** Records whose original could not be read by field name (Zeek TSV lines imported before headers were kept). */
  unreadable: number;
  detections: number;
  stored: number;
  duplicates: number;
  byRule: { id: string; title: string; level: string; count: number }[];
  incidents: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The id of the alert a rule raises on a record: the same case, rule and record always give the same alert. */
export function detectionId(caseId: string, ruleId: string, recordId: string): { id: string; dedupKey: string } {
  const dedupKey = sha256(`sigma\0${ruleId}\0${recordId}`);
  return { id: `ev_${sha256(`${caseId}\0${dedupKey}`).slice(0, 32)}`, dedupKey };
}

type Row = [id: string, format: string, ts: string, original: string, doc: string, file: string, line: number, importId: string | null, host: string | null, user: string | null];

interface Pending {
  row: unknown[];
  recordId: string;
}

/**
 * Runs the rules at `rulesPath` over case `caseId` in the store and stores what they find. Re-running stores nothing
 * new (detections are keyed by case, rule and record); every run journals one `sigma.run` entry with its counts.
 */
export function runSigma(store: Store, input: SigmaRunInput, deps: { actor: Actor; clock: Clock; engine?: SigmaEngine }): SigmaRunResult {
  const { caseId } = input;
  if (!store.cases.get(caseId)) throw new QuellError('not_found', `No case with id ${caseId}.`, { details: { caseId } });
  const engine = deps.engine ?? loadRules(input.rulesPath);
  const formats = engine.formats();
  const db = store.db;

  // Zeek TSV header blocks per import, to read stored TSV lines by field name.
  const headers = new Map<string, ZeekHeader[]>();
  for (const r of db.prepare("SELECT id, zeek_headers FROM imports WHERE case_id = ? AND zeek_headers IS NOT NULL").all(caseId) as { id: string; zeek_headers: string }[]) {
    headers.set(r.id, JSON.parse(r.zeek_headers) as ZeekHeader[]);
  }

  const now = deps.clock.now().toISOString();
  const pending: Pending[] = [];
  const byRule = new Map<CompiledRule, number>();
  let records = 0;
  let unreadable = 0;

  if (formats.length) {
    const rows = db
      .prepare(
        `SELECT id, format, ts, original, doc, file, line, import_id, host, user_name FROM events
         WHERE case_id = ? AND format IN (${formats.map(() => '?').join(', ')}) ORDER BY ts, id`,
      )
      .raw()
      .iterate(caseId, ...formats) as IterableIterator<Row>;
    for (const [id, format, ts, original, docText, file, line, importId, host, user] of rows) {
      records++;
      let parsedDoc: Raw | undefined;
      const doc = () => (parsedDoc ??= JSON.parse(docText) as Raw);
      const raw = readOriginal(format, original, line, importId ? headers.get(importId) : undefined);
      if (!raw) unreadable++;
      const view: RecordView = { format, raw: raw ?? {}, file, doc };
      const hits = engine.match(view);
      for (const hit of hits) {
        byRule.set(hit.rule, (byRule.get(hit.rule) ?? 0) + 1);
        const detection: SigmaDetection = {
          engine: 'sigma',
          rule: {
            id: hit.rule.info.id,
            title: hit.rule.info.title,
            level: hit.rule.info.level,
            status: hit.rule.info.status,
            description: hit.rule.info.description,
            author: hit.rule.info.author,
            references: hit.rule.info.references,
            falsepositives: hit.rule.info.falsepositives,
            tags: hit.rule.info.tags,
            logsource: hit.rule.info.logsource,
            file: hit.rule.info.file,
            condition: hit.rule.conditionText,
          },
          record: { id, format, file, line, ts },
          route: hit.route.label,
          mapping: hit.mapping,
          matches: engine.explain(view, hit),
        };
        pending.push({ recordId: id, row: alertRow(caseId, hit.rule, detection, doc() as unknown as NormalizedEvent, { original, host, user, now }) });
      }
    }
  }

  let stored = 0;
  const result = store.write(() => {
    const insert = db.prepare(
      `INSERT OR IGNORE INTO events (id, case_id, kind, ts, source, dedup_key, risk, level, doc, original, imported_at, format, title,
         host, user_name, techniques, file, line, import_id, tags)
       VALUES (?, ?, 'alert', ?, ?, ?, ?, ?, ?, ?, ?, 'sigma', ?, ?, ?, ?, ?, ?, NULL, ?)`,
    );
    const link = db.prepare('INSERT OR IGNORE INTO event_entities (event_id, entity_id, role) SELECT ?, entity_id, role FROM event_entities WHERE event_id = ?');
    for (const p of pending) {
      if (insert.run(...p.row).changes) {
        stored++;
        link.run(p.row[0], p.recordId);
      }
    }
    const summary = {
      rulesPath: input.rulesPath,
      rules: { loaded: engine.rules.length, rejected: engine.rejected, unroutable: engine.rules.filter((r) => !engine.formatsFor(r).length).length },
      records,
      unreadable,
      detections: pending.length,
      stored,
      duplicates: pending.length - stored,
      byRule: [...byRule].map(([rule, count]) => ({ id: rule.info.id, title: rule.info.title, level: rule.info.level, count })),
    };
    store.journal.append({
      at: now,
      caseId,
      actor: deps.actor,
      action: 'sigma.run',
      payload: {
        ...summary,
        rulesPath: displayPath(input.rulesPath),
        rules: { ...summary.rules, rejected: summary.rules.rejected.length },
        rejected: summary.rules.rejected.slice(0, 50).map((r) => ({ file: r.file, reason: r.reason })),
      },
    });
    return summary;
  });
  regroupIncidents(store, caseId, { at: now, actor: deps.actor });
  return { ...result, incidents: store.events.incidents(caseId).length };
}

/** The shipped rules are journaled by their place in the content folder, not the installation path. */
function displayPath(p: string): string {
  const parts = p.split(path.sep);
  const i = parts.lastIndexOf('content');
  return i !== -1 && parts[i + 1] === 'sigma' ? parts.slice(i).join('/') : p;
}

/**
 * A stored record's original, parsed: JSON for every format but Zeek TSV, whose line is parsed again under the
 * header block its import kept. Null when it cannot be (an old import without headers, a damaged line).
 */
export function readOriginal(format: string, original: string, line: number, zeekHeaders: ZeekHeader[] | undefined): Raw | null {
  if (format === 'zeek-tsv') {
    const header = zeekHeaders?.filter((h) => h.fromLine <= line).pop();
    if (!header) return null;
    const parsed = parseZeekLine(original, header);
    return typeof parsed === 'string' ? null : parsed;
  }
  try {
    const v: unknown = JSON.parse(original);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : null;
  } catch {
    return null;
  }
}

/**
 * The alert: the matching record's normalised document (so host, user, process … carry over) turned into an alert
 * of the rule's level, with ATT&CK from the rule's tags and the detection detail under `detection`.
 */
function alertRow(
  caseId: string,
  rule: CompiledRule,
  detection: SigmaDetection,
  doc: NormalizedEvent,
  r: { original: string; host: string | null; user: string | null; now: string },
): unknown[] {
  const info = rule.info;
  const severity = fromLevelName(info.level);
  const { threat, unresolved } = sigmaAttack(info.tags);
  const { id, dedupKey } = detectionId(caseId, info.id, detection.record.id);
  const alert: NormalizedEvent = {
    ...doc,
    message: info.title,
    tags: info.tags,
    event: {
      ...doc.event,
      kind: 'alert',
      risk_score: severity.risk,
    },
    rule: {
      id: info.id,
      name: info.title,
      ...(info.description ? { description: info.description } : {}),
      ...(info.logsource.category ? { category: info.logsource.category } : {}),
      ruleset: 'sigma',
    },
    detection,
    quell: {
      ...doc.quell,
      format: 'sigma',
      risk: severity.risk,
      level: severity.level,
      severityOriginal: info.level,
    },
  };
  // The record's own ATT&CK (a vendor alert's) gives way to the rule's: the alert says what the rule detected.
  if (threat) alert.threat = threat;
  else delete alert.threat;
  if (unresolved.length) alert.quell.attackUnresolved = unresolved;
  else delete alert.quell.attackUnresolved;
  return [
    id,
    caseId,
    detection.record.ts,
    `sigma:${info.file}`,
    dedupKey,
    severity.risk,
    severity.level,
    JSON.stringify(alert),
    r.original,
    r.now,
    info.title,
    r.host,
    r.user,
    (threat?.technique?.id ?? []).join(' '),
    detection.record.file,
    detection.record.line,
    info.tags.length ? `\x1f${info.tags.join('\x1f')}\x1f` : '',
  ];
}
