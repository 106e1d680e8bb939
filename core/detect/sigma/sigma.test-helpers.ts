import { SigmaEngine, type MatchedField } from './engine.js';
import type { Raw } from './sources.js';

/** A Sysmon process-creation record in the NXLog/OTRF shape, with the given event data. */
export const sysmon1 = (data: Raw): Raw => ({
  EventID: 1,
  Channel: 'Microsoft-Windows-Sysmon/Operational',
  SourceName: 'Microsoft-Windows-Sysmon',
  Hostname: 'WS1',
  ...data,
});

/** A rule file around a detection block (YAML text indented under `detection:`). */
export function ruleText(detection: string, extra = ''): string {
  const body = detection
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  return `title: Test rule\nid: 00000000-0000-0000-0000-000000000001\nlevel: high\nlogsource:\n    product: windows\n    category: process_creation\n${extra}detection:\n${body}\n`;
}

/** One compiled rule; throws with the rejection reason when the engine refuses it. */
export function engineFor(detection: string): SigmaEngine {
  const engine = new SigmaEngine([{ file: 'test.yml', text: ruleText(detection) }]);
  if (engine.rejected.length) throw new Error(engine.rejected[0]!.reason);
  return engine;
}

/** Whether the detection matches a Sysmon 1 record with these fields. */
export function fires(detection: string, data: Raw): boolean {
  return engineFor(detection).match({ format: 'windows-nxlog', raw: sysmon1(data) }).length === 1;
}

/** What matched, when it matched. */
export function explained(detection: string, data: Raw): MatchedField[] | null {
  const engine = engineFor(detection);
  const view = { format: 'windows-nxlog', raw: sysmon1(data) };
  const [hit] = engine.match(view);
  return hit ? engine.explain(view, hit) : null;
}

/** The rejection reason of a rule text, or null when it loads. */
export function rejection(text: string): string | null {
  const engine = new SigmaEngine([{ file: 'bad.yml', text }]);
  return engine.rejected[0]?.reason ?? null;
}
