import { z } from 'zod';
import { QuellError, type CommandOutput } from '../api/index.js';
import { Playbook, type FormField, type RunView } from '../model/index.js';
import { playbookFromText, convertPlaybookText, playbookGraph, type EngineRuntime, type LibraryEntry } from '../engine/index.js';
import type { Handler, Handlers } from '../router.js';
import { CancelSignal } from '../engine/signals.js';

type PlaybookHandlers = Pick<
  Handlers,
  | 'playbook.list'
  | 'playbook.get'
  | 'playbook.validate'
  | 'playbook.convert'
  | 'playbook.import'
  | 'playbook.schema'
  | 'playbook.shadow'
  | 'run.start'
  | 'run.get'
  | 'run.list'
  | 'run.control'
  | 'run.breakpoints'
  | 'run.setVars'
  | 'run.approve'
  | 'run.submit'
  | 'run.replay'
  | 'run.resume'
  | 'notify.target.set'
  | 'notify.target.list'
>;

const info = (e: LibraryEntry): CommandOutput<'playbook.list'>['playbooks'][number] => ({
  id: e.playbook.id,
  name: e.playbook.name,
  version: e.playbook.version,
  description: e.playbook.description,
  labels: e.playbook.labels,
  autonomy: e.playbook.autonomy,
  riskThreshold: e.playbook.riskThreshold,
  source: e.source,
  format: e.format,
  steps: countSteps(e.playbook.steps),
  inputs: Object.fromEntries(
    Object.entries(e.playbook.inputs).map(([k, v]) => [k, { type: v.type, required: v.required, ...(v.description ? { description: v.description } : {}) }]),
  ),
});

function countSteps(steps: Playbook['steps']): number {
  return playbookGraph({ steps } as Playbook).nodes.filter((n) => n.type !== 'start' && n.type !== 'finish').length;
}

/** Waits for a run to finish or stop for someone, when the caller asked to. */
async function viewAfter(engine: EngineRuntime, runId: string, wait: boolean, withSteps = true): Promise<RunView> {
  if (wait) await engine.settled(runId);
  return engine.view(runId, withSteps);
}

export function playbookHandlers(engine: EngineRuntime): PlaybookHandlers {
  const startRun: Handler<'run.start'> = async (input, ctx) => {
    let playbook: Playbook;
    let extra: Playbook[] = [];
    if (input.playbookId !== undefined) playbook = engine.library.get(input.playbookId).playbook;
    else if (typeof input.playbook === 'string') {
      const loaded = playbookFromText(input.playbook, input.file ?? 'playbook');
      playbook = loaded.playbook;
    } else {
      const parsed = Playbook.safeParse(input.playbook);
      if (!parsed.success) {
        throw new QuellError('invalid_input', `${input.file ?? 'playbook'}: not a Quell playbook.`, {
          issues: parsed.error.issues.map((i) => ({ path: ['playbook', ...i.path.map(String)].join('.'), message: i.message })),
        });
      }
      playbook = parsed.data;
      extra = [];
    }
    const runId = engine.start(
      {
        caseId: input.caseId,
        playbook,
        extra,
        mode: input.mode,
        dryRun: input.dryRun,
        alertId: input.alertId ?? null,
        inputs: input.inputs,
        breakpoints: input.breakpoints,
      },
      ctx.actor,
    );
    return viewAfter(engine, runId, input.wait, input.withSteps);
  };

  return {
    'playbook.list': () => ({ playbooks: engine.library.list().map(info) }),
    'playbook.get': (input) => {
      const e = engine.library.get(input.id, input.version);
      return { info: info(e), playbook: e.playbook, graph: playbookGraph(e.playbook) };
    },
    'playbook.validate': (input) => {
      try {
        const loaded = playbookFromText(input.text, input.file);
        return { ok: true, format: loaded.format, id: loaded.playbook.id, steps: countSteps(loaded.playbook.steps), issues: [], notes: loaded.notes };
      } catch (err) {
        if (!(err instanceof QuellError) || err.code !== 'invalid_input') throw err;
        const format = /"spec_version"\s*:\s*"cacao/.test(input.text) ? 'cacao' : input.text.trimStart().startsWith('{') ? 'json' : 'yaml';
        return { ok: false, format, id: null, steps: 0, issues: err.issues ?? [{ path: input.file, message: err.message }], notes: [] };
      }
    },
    'playbook.convert': (input, ctx) => convertPlaybookText(input.text, input.file, input.to, ctx.now()),
    'playbook.import': (input, ctx) => {
      const loaded = playbookFromText(input.text, input.file);
      const pb = loaded.playbook;
      const exists = ctx.store.db.prepare('SELECT 1 FROM playbooks WHERE id = ? AND version = ?').get(pb.id, pb.version);
      if (exists) {
        throw new QuellError('conflict', `Playbook "${pb.id}" version ${pb.version} is already imported; raise its version to add a new one.`, {
          details: { id: pb.id, version: pb.version },
        });
      }
      ctx.store.db
        .prepare('INSERT INTO playbooks (id, version, name, source, format, definition, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(pb.id, pb.version, pb.name, input.text, loaded.format, JSON.stringify(pb), ctx.now());
      ctx.journal(null, 'playbook.imported', { id: pb.id, version: pb.version, name: pb.name, format: loaded.format, file: input.file, notes: loaded.notes.length });
      return { info: info({ playbook: pb, source: 'imported', format: loaded.format, file: null }), notes: loaded.notes };
    },
    'playbook.schema': () => ({ schema: z.toJSONSchema(Playbook, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown> }),
    'playbook.shadow': (input, ctx) => shadowReport(engine, input, ctx),
    'run.start': startRun,
    'run.get': (input) => engine.view(input.runId, input.withSteps),
    'run.list': (input) => ({ runs: engine.runs.list(input) }),
    'run.control': (input, ctx) => {
      const d = engine.driver(input.runId);
      const by = ctx.actor.id;
      const journal = () => ctx.journal(d.caseId, 'playbook.run.control', { runId: d.runId, command: input.command, key: d.waiter.wait?.key ?? null, ...(input.command === 'override' ? { output: input.output } : {}) });
      switch (input.command) {
        case 'cancel':
          journal();
          d.abort.abort(new CancelSignal(by));
          break;
        case 'pause':
          // A timer is not a stop: the pause applies before the step after it.
          if (d.waiter.wait && d.waiter.wait.kind !== 'timer') throw new QuellError('conflict', `Run ${d.runId} is already stopped (${d.waiter.wait.kind} at "${d.waiter.wait.key}").`);
          journal();
          d.requestPause();
          break;
        default: {
          const release = input.command === 'override' ? { kind: 'override' as const, output: input.output } : { kind: input.command };
          d.waiter.check(release);
          journal();
          d.waiter.release(release);
        }
      }
      return { runId: d.runId, command: input.command, status: engine.runs.row(d.runId)?.status ?? 'unknown' };
    },
    'run.breakpoints': (input, ctx) => {
      const d = engine.driver(input.runId);
      const known = new Set(engine.definition(input.runId) && collectIds(d.playbook));
      const unknown = input.stepIds.filter((s) => !known.has(s));
      if (unknown.length) throw new QuellError('invalid_input', `No step ${unknown.map((s) => `"${s}"`).join(', ')} in playbook "${d.playbook.id}".`);
      d.breakpoints.clear();
      for (const s of input.stepIds) d.breakpoints.add(s);
      ctx.store.db.prepare('UPDATE runs SET breakpoints = ? WHERE id = ?').run(JSON.stringify(input.stepIds), d.runId);
      ctx.journal(d.caseId, 'playbook.run.breakpoints', { runId: d.runId, breakpoints: input.stepIds });
      return { runId: d.runId, breakpoints: input.stepIds };
    },
    'run.setVars': (input, ctx) => {
      const d = engine.driver(input.runId);
      const w = d.waiter.wait;
      if (!w || (w.kind !== 'step' && w.kind !== 'breakpoint' && w.kind !== 'pause')) {
        throw new QuellError('conflict', `Variables can be changed only while run ${d.runId} is paused before a step.`);
      }
      d.editVars(input.vars);
      const row = engine.runs.row(d.runId)!;
      const vars = { ...(JSON.parse(row.vars) as Record<string, unknown>), ...input.vars };
      ctx.store.db.prepare('UPDATE runs SET vars = ? WHERE id = ?').run(JSON.stringify(vars), d.runId);
      ctx.journal(d.caseId, 'playbook.run.vars', { runId: d.runId, key: w.key, vars: input.vars });
      return { runId: d.runId, vars };
    },
    'run.approve': (input, ctx) => {
      const release =
        input.decision === 'approve'
          ? { kind: 'approve' as const, by: ctx.actor.id, comment: input.comment ?? null }
          : { kind: 'reject' as const, by: ctx.actor.id, comment: input.comment ?? null };
      const d = engine.check(input.runId, release, input.key);
      const w = d.waiter.wait!;
      ctx.journal(d.caseId, input.decision === 'approve' ? 'playbook.approval.granted' : 'playbook.approval.refused', {
        runId: d.runId,
        key: input.key,
        comment: input.comment ?? null,
        risk: w.risk ? { risk: w.risk.risk, target: w.risk.target, explanation: w.risk.explanation } : null,
        prompt: w.prompt,
      });
      d.waiter.release(release);
      return { runId: d.runId, key: input.key, decision: input.decision };
    },
    'run.submit': (input, ctx) => {
      const d = engine.driver(input.runId);
      const w = d.waiter.wait;
      if (!w || w.kind !== 'manual' || w.key !== input.key) {
        throw new QuellError('conflict', `Run ${d.runId} is not waiting for the form of "${input.key}".`, { details: { waiting: w?.key ?? null } });
      }
      const values = checkForm(w.form ?? {}, input.values);
      const release = { kind: 'submit' as const, by: ctx.actor.id, values };
      ctx.journal(d.caseId, 'playbook.manual.submitted', { runId: d.runId, key: input.key, values });
      d.waiter.release(release);
      return { runId: d.runId, key: input.key, values };
    },
    'run.replay': async (input, ctx) => {
      const runId = engine.replay(input.runId, input.fromStep, input.mode, input.dryRun, ctx.actor);
      return viewAfter(engine, runId, input.wait);
    },
    'run.resume': async (input, ctx) => {
      engine.resume(input.runId, ctx.actor);
      return viewAfter(engine, input.runId, input.wait);
    },
    'notify.target.set': (input, ctx) => {
      ctx.store.db
        .prepare('INSERT INTO notify_targets (name, url, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET url = excluded.url')
        .run(input.name, input.url, ctx.now());
      // A webhook URL often carries a token in its query: the journal keeps only where it points.
      const u = new URL(input.url);
      ctx.journal(null, 'notify.target.set', { name: input.name, url: `${u.protocol}//${u.host}${u.pathname}` });
      return { name: input.name, url: input.url };
    },
    'notify.target.list': (_input, ctx) => ({
      targets: (ctx.store.db.prepare('SELECT name, url, created_at FROM notify_targets ORDER BY name').all() as { name: string; url: string; created_at: string }[]).map((r) => ({
        name: r.name,
        url: r.url,
        createdAt: r.created_at,
      })),
    }),
  };
}

function collectIds(pb: Playbook): string[] {
  return playbookGraph(pb).nodes.map((n) => n.id);
}

/** A manual step's form: required fields present, each value of its declared type, no field the form lacks. */
function checkForm(form: Record<string, FormField>, values: Record<string, unknown>): Record<string, unknown> {
  const issues: { path: string; message: string }[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(form)) {
    const v = values[name] ?? f.default;
    if (v === undefined || v === null || v === '') {
      if (f.required) issues.push({ path: name, message: `${f.label ?? name} is required` });
      continue;
    }
    const want = f.type === 'number' ? 'number' : f.type === 'boolean' ? 'boolean' : 'string';
    if (typeof v !== want) issues.push({ path: name, message: `${f.label ?? name} must be a ${want}` });
    else if (f.type === 'choice' && !f.choices?.includes(v as string)) issues.push({ path: name, message: `${f.label ?? name} must be one of ${f.choices?.join(', ')}` });
    else out[name] = v;
  }
  for (const name of Object.keys(values)) if (!(name in form)) issues.push({ path: name, message: `the form has no field "${name}"` });
  if (issues.length) throw new QuellError('invalid_input', `The form was not accepted: ${issues.map((i) => i.message).join('; ')}.`, { issues });
  return out;
}

/** Shadow decisions (simulated actions) against what analysts did in the same case after the run started. */
function shadowReport(engine: EngineRuntime, input: { playbookId: string; caseId?: string | undefined }, ctx: Parameters<Handler<'playbook.shadow'>>[1]) {
  const runs = engine.runs.list({ playbookId: input.playbookId, caseId: input.caseId, limit: 1000 }).filter((r) => r.autonomy === 'shadow');
  const details: CommandOutput<'playbook.shadow'>['details'] = [];
  const used = new Set<number>();
  let missed = 0;
  for (const run of runs) {
    const entries = ctx.store.db
      .prepare("SELECT seq, action, payload, actor FROM journal WHERE case_id = ? AND seq > (SELECT min(seq) FROM journal WHERE case_id = ? AND action = 'playbook.run.started' AND json_extract(payload, '$.runId') = ?) ORDER BY seq")
      .all(run.caseId, run.caseId, run.id) as { seq: number; action: string; payload: string; actor: string }[];
    const analyst = entries.filter((e) => (JSON.parse(e.actor) as { kind: string }).kind === 'analyst');
    const view = engine.view(run.id);
    for (const s of view.steps.filter((x) => x.type === 'action' && x.simulated)) {
      const action = (ctx.store.db.prepare("SELECT json_extract(payload, '$.action') AS a FROM journal WHERE case_id = ? AND action = 'playbook.step' AND json_extract(payload, '$.runId') = ? AND json_extract(payload, '$.key') = ?").get(run.caseId, run.id, s.key) as { a: string | null } | undefined)?.a ?? '';
      const match = analyst.find((e) => !used.has(e.seq) && sameDecision(action, s.input, e.action, JSON.parse(e.payload) as Record<string, unknown>));
      if (match) used.add(match.seq);
      details.push({ runId: run.id, key: s.key, action, matched: !!match, analystEntry: match?.seq ?? null });
    }
    missed += analyst.filter((e) => !used.has(e.seq) && (e.action === 'connector.action.requested' || e.action === 'case.status.set')).length;
  }
  const matched = details.filter((d) => d.matched).length;
  const denominator = details.length + missed;
  return { playbookId: input.playbookId, runs: runs.length, decisions: details.length, matched, missed, agreement: denominator ? matched / denominator : null, details };
}

function sameDecision(action: string, input: unknown, entryAction: string, payload: Record<string, unknown>): boolean {
  const m = /^connector:([^.]+)\.(.+)$/.exec(action);
  if (m) return entryAction === 'connector.action.requested' && payload.connector === m[1] && payload.action === m[2];
  const i = (input ?? {}) as Record<string, unknown>;
  switch (action) {
    case 'case.status':
      return entryAction === 'case.status.set' && payload.to === i.status;
    case 'case.task':
      return entryAction === 'task.added';
    case 'case.note':
      return entryAction === 'note.added';
    case 'case.tag':
      return entryAction === 'event.tagged';
    case 'case.evidence':
      return entryAction === 'evidence.added';
    default:
      return false;
  }
}
