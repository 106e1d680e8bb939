// The case report a responder hands over: what was found (incidents, alerts, techniques), what was done (playbook
// runs step by step, simulated ones marked, approvals, notes, tasks, evidence), and whether the journal that backs
// it still verifies. Built as a small document model, then written as Markdown or as a self-contained HTML page.
import type { CaseSummary, IncidentSummary, VerifyReport } from '../model/index.js';
import type { Store } from '../store/index.js';
import { reportedViews, viewSvg, type ReportedView } from './graph-views.js';

export interface ReportData {
  generatedAt: string;
  case: CaseSummary;
  counts: { alerts: number; events: number; quarantined: number; incidents: number; journal: number };
  levels: Record<string, number>;
  techniques: { id: string; alerts: number }[];
  incidents: IncidentSummary[];
  runs: {
    id: string;
    playbook: string;
    name: string;
    dryRun: boolean;
    status: string;
    outcome: string | null;
    error: string | null;
    startedAt: string;
    steps: { key: string; status: string; simulated: boolean; error: string | null }[];
  }[];
  approvals: { at: string; by: string; action: string; key: string; comment: string | null }[];
  notes: { at: string; author: string; body: string }[];
  tasks: { title: string; status: string; assignee: string | null; dueAt: string | null }[];
  evidence: { name: string; sha256: string; size: number; addedAt: string }[];
  graphViews: ReportedView[];
  verify: VerifyReport;
}

export function collectReport(store: Store, c: CaseSummary, incidents: IncidentSummary[], verify: VerifyReport, generatedAt: string): ReportData {
  const db = store.db;
  const caseId = c.id;
  const count = (sql: string) => (db.prepare(sql).get(caseId) as { n: number }).n;
  const levels: Record<string, number> = {};
  for (const r of db.prepare("SELECT level, count(*) AS n FROM events WHERE case_id = ? AND kind = 'alert' GROUP BY level ORDER BY n DESC").all(caseId) as { level: string | null; n: number }[]) {
    levels[r.level ?? 'unknown'] = r.n;
  }
  const techniques = new Map<string, number>();
  for (const r of db.prepare("SELECT techniques FROM events WHERE case_id = ? AND kind = 'alert' AND techniques <> ''").raw().iterate(caseId) as IterableIterator<[string]>) {
    for (const t of r[0].split(/[\x1f,\s]+/).filter(Boolean)) techniques.set(t, (techniques.get(t) ?? 0) + 1);
  }
  const runs = (db.prepare('SELECT id, playbook_id, playbook_name, dry_run, status, outcome, error, started_at FROM runs WHERE case_id = ? ORDER BY started_at, rowid').all(caseId) as {
    id: string;
    playbook_id: string;
    playbook_name: string;
    dry_run: number;
    status: string;
    outcome: string | null;
    error: string | null;
    started_at: string;
  }[]).map((r) => ({
    id: r.id,
    playbook: r.playbook_id,
    name: r.playbook_name,
    dryRun: r.dry_run === 1,
    status: r.status,
    outcome: r.outcome,
    error: r.error,
    startedAt: r.started_at,
    steps: (db.prepare('SELECT key, status, simulated, error FROM run_steps WHERE run_id = ? ORDER BY seq').all(r.id) as { key: string; status: string; simulated: number; error: string | null }[]).map(
      (s) => ({ key: s.key, status: s.status, simulated: s.simulated === 1, error: s.error }),
    ),
  }));
  const approvals = (
    db
      .prepare("SELECT at, actor, action, payload FROM journal WHERE case_id = ? AND action IN ('playbook.approval.granted', 'playbook.approval.refused') ORDER BY seq")
      .all(caseId) as { at: string; actor: string; action: string; payload: string }[]
  ).map((e) => {
    const p = JSON.parse(e.payload) as { key: string; comment: string | null };
    return { at: e.at, by: (JSON.parse(e.actor) as { id: string }).id, action: e.action === 'playbook.approval.granted' ? 'approved' : 'refused', key: p.key, comment: p.comment };
  });
  return {
    generatedAt,
    case: c,
    counts: {
      alerts: count("SELECT count(*) AS n FROM events WHERE case_id = ? AND kind = 'alert'"),
      events: count("SELECT count(*) AS n FROM events WHERE case_id = ? AND kind = 'event'"),
      quarantined: count('SELECT count(*) AS n FROM quarantine WHERE case_id = ?'),
      incidents: incidents.length,
      journal: count('SELECT count(*) AS n FROM journal WHERE case_id = ?'),
    },
    levels,
    techniques: [...techniques].map(([id, alerts]) => ({ id, alerts })).sort((a, b) => b.alerts - a.alerts || a.id.localeCompare(b.id)),
    incidents,
    runs,
    approvals,
    notes: (db.prepare('SELECT created_at, author, body FROM notes WHERE case_id = ? ORDER BY created_at, rowid').all(caseId) as { created_at: string; author: string; body: string }[]).map((n) => ({
      at: n.created_at,
      author: n.author,
      body: n.body,
    })),
    tasks: (db.prepare('SELECT title, status, assignee, due_at FROM tasks WHERE case_id = ? ORDER BY created_at, rowid').all(caseId) as { title: string; status: string; assignee: string | null; due_at: string | null }[]).map(
      (t) => ({ title: t.title, status: t.status, assignee: t.assignee, dueAt: t.due_at }),
    ),
    evidence: (db.prepare('SELECT name, sha256, size, added_at FROM evidence WHERE case_id = ? ORDER BY added_at, rowid').all(caseId) as { name: string; sha256: string; size: number; added_at: string }[]).map(
      (e) => ({ name: e.name, sha256: e.sha256, size: e.size, addedAt: e.added_at }),
    ),
    graphViews: reportedViews(store, caseId),
    verify,
  };
}

/** A document of headings, paragraphs, lists and tables: written once, rendered as Markdown or HTML. */
type Block = { h: 1 | 2 | 3; text: string } | { p: string } | { list: string[] } | { table: string[][] } | { svg: string };

/** A view's node list stops here in the report; the picture (HTML) still shows them all. */
const VIEW_NODES_LISTED = 60;

export function reportBlocks(r: ReportData): Block[] {
  const out: Block[] = [];
  out.push({ h: 1, text: `Case report: ${r.case.name}` });
  out.push({ p: `Case ${r.case.id}, ${r.case.status}, opened ${r.case.createdAt}. Report generated ${r.generatedAt} by Quell.` });
  if (r.case.description) out.push({ p: r.case.description });
  out.push({ h: 2, text: 'Summary' });
  out.push({
    table: [
      ['Alerts', 'Events', 'Incidents', 'Quarantined records', 'Journal entries'],
      [r.counts.alerts, r.counts.events, r.counts.incidents, r.counts.quarantined, r.counts.journal].map(String),
    ],
  });
  if (Object.keys(r.levels).length) out.push({ p: `Alerts by level: ${Object.entries(r.levels).map(([l, n]) => `${l} ${n}`).join(', ')}.` });
  out.push({
    p: r.verify.ok
      ? `Journal verified: ${r.verify.entriesChecked} entries, hash chain intact.`
      : `Journal verification FAILED at entry ${r.verify.firstBad?.seq}: ${r.verify.firstBad?.message}.`,
  });
  out.push({ h: 2, text: 'Incidents' });
  if (!r.incidents.length) out.push({ p: 'No incidents.' });
  for (const i of r.incidents) {
    out.push({ h: 3, text: `${i.title} (${i.level}, risk ${i.risk})` });
    out.push({ p: `${i.memberCount} records from ${i.firstTs ?? '?'} to ${i.lastTs ?? '?'}. ${i.summary}` });
    if (i.rationale.length) out.push({ list: i.rationale });
    if (i.entities.length) out.push({ p: `Entities: ${i.entities.slice(0, 20).map((e) => `${e.type} ${e.canonical}`).join(', ')}${i.entities.length > 20 ? ` and ${i.entities.length - 20} more` : ''}.` });
  }
  out.push({ h: 2, text: 'ATT&CK techniques' });
  out.push(r.techniques.length ? { table: [['Technique', 'Alerts'], ...r.techniques.map((t) => [t.id, String(t.alerts)])] } : { p: 'No technique on any alert.' });
  out.push({ h: 2, text: 'Response: playbook runs' });
  if (!r.runs.length) out.push({ p: 'No playbook was run.' });
  for (const run of r.runs) {
    out.push({ h: 3, text: `${run.name} (${run.playbook}), ${run.dryRun ? 'dry run' : 'for real'}: ${run.status}${run.outcome ? `, outcome ${run.outcome}` : ''}` });
    out.push({ p: `Run ${run.id}, started ${run.startedAt}.${run.error ? ` Error: ${run.error}` : ''}` });
    if (run.steps.length) {
      out.push({ table: [['Step', 'Status', 'Simulated', 'Error'], ...run.steps.map((s) => [s.key, s.status, s.simulated ? 'yes' : 'no', s.error ?? ''])] });
    }
  }
  if (r.approvals.length) {
    out.push({ h: 3, text: 'Approvals' });
    out.push({ table: [['When', 'Who', 'Decision', 'Step', 'Comment'], ...r.approvals.map((a) => [a.at, a.by, a.action, a.key, a.comment ?? ''])] });
  }
  out.push({ h: 2, text: 'Notes' });
  out.push(r.notes.length ? { list: r.notes.map((n) => `${n.at} ${n.author}: ${n.body}`) } : { p: 'No notes.' });
  out.push({ h: 2, text: 'Tasks' });
  out.push(r.tasks.length ? { table: [['Task', 'Status', 'Assignee', 'Due'], ...r.tasks.map((t) => [t.title, t.status, t.assignee ?? '', t.dueAt ?? ''])] } : { p: 'No tasks.' });
  out.push({ h: 2, text: 'Evidence items' });
  out.push(r.evidence.length ? { table: [['Name', 'SHA-256', 'Bytes', 'Added'], ...r.evidence.map((e) => [e.name, e.sha256, String(e.size), e.addedAt])] } : { p: 'No evidence items.' });
  if (r.graphViews.length) out.push({ h: 2, text: 'Saved graph views' });
  for (const v of r.graphViews) out.push(...viewBlocks(v));
  return out;
}

function viewBlocks(v: ReportedView): Block[] {
  const pinned = v.nodes.filter((n) => n.pinned).length;
  const out: Block[] = [
    { h: 3, text: `Graph view: ${v.name}` },
    {
      p:
        `Saved ${v.updatedAt}. Filters: ${v.filters}. ${v.nodes.length} nodes placed, ${v.edges.length} edges between them` +
        `${pinned ? `, ${pinned} pinned` : ''}${v.hidden ? `, ${v.hidden} hidden` : ''}.` +
        `${v.missing ? ` ${v.missing} placed ${v.missing === 1 ? 'node is' : 'nodes are'} no longer in the case graph (or outside its filters).` : ''}`,
    },
  ];
  if (v.nodes.length) out.push({ svg: viewSvg(v) });
  if (v.nodes.length) {
    out.push({ table: [['Type', 'Node', 'Pinned'], ...v.nodes.slice(0, VIEW_NODES_LISTED).map((n) => [n.type, n.label, n.pinned ? 'yes' : ''])] });
    if (v.nodes.length > VIEW_NODES_LISTED) out.push({ p: `And ${v.nodes.length - VIEW_NODES_LISTED} more nodes.` });
  }
  return out;
}

const mdCell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

export function toMarkdown(blocks: Block[]): string {
  const parts: string[] = [];
  for (const b of blocks) {
    if ('h' in b) parts.push(`${'#'.repeat(b.h)} ${b.text}`);
    else if ('p' in b) parts.push(b.p);
    else if ('list' in b) parts.push(b.list.map((i) => `- ${i.replaceAll('\n', ' ')}`).join('\n'));
    else if ('svg' in b) parts.push('_(The picture of this view is in the HTML report.)_');
    else {
      const [head, ...rows] = b.table;
      parts.push([`| ${head!.map(mdCell).join(' | ')} |`, `|${head!.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n'));
    }
  }
  return `${parts.join('\n\n')}\n`;
}

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** A self-contained page: no script, no remote resource, its style inline in a <style> element. */
export function toHtml(blocks: Block[], title: string): string {
  const body = blocks
    .map((b) => {
      if ('h' in b) return `<h${b.h}>${esc(b.text)}</h${b.h}>`;
      if ('p' in b) return `<p>${esc(b.p)}</p>`;
      if ('list' in b) return `<ul>${b.list.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
      // Built by viewSvg, which escapes every text it puts in.
      if ('svg' in b) return `<figure>${b.svg}</figure>`;
      const [head, ...rows] = b.table;
      return `<table><thead><tr>${head!.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
    })
    .join('\n');
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>` +
    '<style>body{font:14px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;margin:.5rem 0}' +
    'th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}</style></head>\n' +
    `<body>\n${body}\n</body></html>\n`
  );
}
