// Where runs live: the `runs` row (status, the newest variables, what the run waits for) and one `run_steps` row per
// step attempt. Every change here happens inside the caller's store.write, next to the journal entry describing it.
import type { Autonomy, Playbook, RiskAssessment, RunMode, RunStatus, RunSummary, RunWait, StepRecord, StepStatus } from '../model/index.js';
import type { Store } from '../store/index.js';

export interface RunDefinition {
  playbook: Playbook;
  /** Sub-playbooks resolved when the run started, so a resumed or replayed run runs the same steps. */
  subs: Record<string, Playbook>;
}

export interface RunRow {
  id: string;
  case_id: string;
  playbook_id: string;
  playbook_name: string;
  playbook_version: number;
  definition: string;
  mode: RunMode;
  dry_run: 0 | 1;
  autonomy: Autonomy;
  status: RunStatus;
  outcome: string | null;
  error: string | null;
  alert_id: string | null;
  inputs: string;
  vars: string;
  outputs: string;
  breakpoints: string;
  wait: string | null;
  replay_of: string | null;
  replay_from: string | null;
  started_at: string;
  finished_at: string | null;
  updated_at: string;
}

interface StepRow {
  run_id: string;
  seq: number;
  key: string;
  parent: string | null;
  step_id: string;
  type: string;
  attempt: number;
  status: StepStatus;
  simulated: 0 | 1;
  input: string | null;
  output: string | null;
  error: string | null;
  risk: string | null;
  vars: string;
  started_at: string;
  finished_at: string | null;
}

interface Stmt {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

const json = (v: unknown): string => JSON.stringify(v ?? null);
const parse = <T>(text: string | null): T => (text === null ? (null as T) : (JSON.parse(text) as T));

export const FINISHED: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

export class RunStore {
  // Prepared once per SQL text: a run writes the same few statements for every step.
  private readonly statements = new Map<string, Stmt>();

  constructor(private readonly store: Store) {}

  private sql(text: string): Stmt {
    let stmt = this.statements.get(text);
    if (!stmt) this.statements.set(text, (stmt = this.store.db.prepare(text) as unknown as Stmt));
    return stmt;
  }

  insertRun(r: RunRow): void {
    const cols = Object.keys(r);
    this.sql(`INSERT INTO runs (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`).run(r);
  }

  updateRun(id: string, fields: Partial<Omit<RunRow, 'id'>>): void {
    const cols = Object.keys(fields);
    if (!cols.length) return;
    this.sql(`UPDATE runs SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run({ ...fields, id });
  }

  row(id: string): RunRow | undefined {
    return this.sql('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
  }

  maxSeq(runId: string): number {
    return (this.sql('SELECT max(seq) AS m FROM run_steps WHERE run_id = ?').get(runId) as { m: number | null }).m ?? 0;
  }

  /** `varsJson`: the variables already as JSON (the driver has it; a step should not pay for it twice). */
  insertStep(runId: string, seq: number, s: Omit<StepRecord, 'seq' | 'vars'> & { parent: string | null } & ({ vars: Record<string, unknown> } | { varsJson: string })): void {
    this.sql(
        'INSERT INTO run_steps (run_id, seq, key, parent, step_id, type, attempt, status, simulated, input, output, error, risk, vars, started_at, finished_at) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        runId,
        seq,
        s.key,
        s.parent,
        s.stepId,
        s.type,
        s.attempt,
        s.status,
        s.simulated ? 1 : 0,
        json(s.input),
        json(s.output),
        s.error,
        s.risk ? json(s.risk) : null,
        'varsJson' in s ? s.varsJson : json(s.vars),
        s.startedAt,
        s.finishedAt,
      );
  }

  steps(runId: string): (StepRecord & { parent: string | null })[] {
    return (this.sql('SELECT * FROM run_steps WHERE run_id = ? ORDER BY seq').all(runId) as StepRow[]).map(toRecord);
  }

  /** The newest real (not simulated) output of a playbook's step: what a dry run pretends when the step declares none. */
  recordedOutput(playbookId: string, stepId: string): unknown {
    const row = this.sql(
        "SELECT s.output FROM run_steps s JOIN runs r ON r.id = s.run_id WHERE r.playbook_id = ? AND s.step_id = ? AND s.status = 'done' AND s.simulated = 0 ORDER BY s.finished_at DESC LIMIT 1",
      )
      .get(playbookId, stepId) as { output: string } | undefined;
    return row ? parse(row.output) : undefined;
  }

  list(filter: { caseId?: string | undefined; playbookId?: string | undefined; limit: number }): RunSummary[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.caseId) (where.push('case_id = ?'), args.push(filter.caseId));
    if (filter.playbookId) (where.push('playbook_id = ?'), args.push(filter.playbookId));
    const rows = this.sql(`SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, rowid DESC LIMIT ?`)
      .all(...args, filter.limit) as RunRow[];
    return rows.map(toSummary);
  }

  unfinished(): RunRow[] {
    return this.sql("SELECT * FROM runs WHERE status NOT IN ('completed', 'failed', 'cancelled') ORDER BY started_at").all() as RunRow[];
  }
}

function toRecord(r: StepRow): StepRecord & { parent: string | null } {
  return {
    seq: r.seq,
    key: r.key,
    parent: r.parent,
    stepId: r.step_id,
    type: r.type,
    attempt: r.attempt,
    status: r.status,
    simulated: r.simulated === 1,
    input: parse(r.input),
    output: parse(r.output),
    error: r.error,
    risk: parse<RiskAssessment | null>(r.risk),
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    vars: parse<Record<string, unknown>>(r.vars) ?? {},
  };
}

export function toSummary(r: RunRow): RunSummary {
  return {
    id: r.id,
    caseId: r.case_id,
    playbookId: r.playbook_id,
    playbookName: r.playbook_name,
    playbookVersion: r.playbook_version,
    mode: r.mode,
    dryRun: r.dry_run === 1,
    autonomy: r.autonomy,
    status: r.status,
    outcome: r.outcome,
    error: r.error,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    replayOf: r.replay_of && r.replay_from ? { runId: r.replay_of, fromStep: r.replay_from } : null,
    alertId: r.alert_id,
  };
}

export function parseWait(text: string | null): RunWait | null {
  return parse<RunWait | null>(text);
}
