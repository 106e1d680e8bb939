// Shapes shared by the CACAO v2.0 validator, importer and exporter. A CACAO document is untyped JSON until it has
// been validated, so these types describe only what the code reads after validation.

/** One thing wrong with a CACAO document. `path` is a JSON-pointer-like path without the leading slash. */
export interface CacaoIssue {
  path: string;
  /** The CACAO step id the issue is about, when there is one. */
  step?: string;
  message: string;
}

/**
 * One line of a mapping report. Nothing in a CACAO document is dropped silently: every field is mapped, kept (in
 * the playbook's `cacao` field, restored on export) or listed here with what happened to it.
 *
 * - `step`: a CACAO step became this Quell step (keeps the CACAO id next to the Quell id)
 * - `kept`: kept, not used: stored verbatim in the playbook's `cacao` field so export can restore it
 * - `approximated`: mapped, but the meaning differs (a default chosen, a shape changed, a step duplicated)
 * - `dry-run-only`: Quell cannot execute this for real; it can only be dry-run
 * - `dropped`: not imported (an unreachable step); said here so that nobody has to wonder
 */
export interface MappingNote {
  kind: 'step' | 'kept' | 'approximated' | 'dry-run-only' | 'dropped';
  path: string;
  /** The CACAO step id, when the note is about a step. */
  step?: string;
  /** The Quell step id it became, when there is one. */
  quellStep?: string;
  message: string;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface CacaoStep {
  type: string;
  name?: string;
  description?: string;
  on_completion?: string;
  on_success?: string;
  on_failure?: string;
  on_true?: string;
  on_false?: string;
  next_steps?: string[];
  cases?: Record<string, string>;
  condition?: string;
  switch?: string;
  delay?: number;
  timeout?: number;
  commands?: JsonObject[];
  agent?: string;
  targets?: string[];
  in_args?: string[];
  out_args?: string[];
  playbook_id?: string;
  playbook_version?: string;
  step_variables?: Record<string, CacaoVariable>;
  step_extensions?: Record<string, JsonObject>;
  [key: string]: unknown;
}

export interface CacaoVariable {
  type: string;
  value?: string | null;
  description?: string;
  constant?: boolean;
  external?: boolean;
  [key: string]: unknown;
}

export interface CacaoPlaybook {
  type: 'playbook';
  spec_version: string;
  id: string;
  name: string;
  description?: string;
  created_by: string;
  created: string;
  modified: string;
  labels?: string[];
  workflow_start: string;
  workflow_exception?: string;
  workflow: Record<string, CacaoStep>;
  playbook_variables?: Record<string, CacaoVariable>;
  agent_definitions?: Record<string, JsonObject>;
  target_definitions?: Record<string, JsonObject>;
  extension_definitions?: Record<string, JsonObject>;
  playbook_extensions?: Record<string, JsonObject>;
  [key: string]: unknown;
}

/** The CACAO step types and the fields that name another step. */
export const STEP_TYPES = [
  'start',
  'end',
  'action',
  'playbook-action',
  'parallel',
  'if-condition',
  'while-condition',
  'switch-condition',
] as const;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
