import fs from 'node:fs';
import path from 'node:path';
import type { Actor } from '../model/index.js';
import type { Router } from '../router.js';

const seeder: Actor = { kind: 'system', id: 'demo-seed' };

/**
 * Gives a new user something real to look at: a demo case with the notes a responder would write on day one.
 * Runs through the router like any other caller, so the demo is journaled like everything else. Returns the new
 * case id, or null when the database already has cases (the seed never touches a database in use).
 */
export async function seedDemo(router: Router, options: { fixturesDir?: string | null } = {}): Promise<string | null> {
  const existing = await router.invoke('case.list', {}, seeder);
  if (!existing.ok) throw new Error(existing.error.message);
  if (existing.value.cases.length > 0) return null;

  const created = await router.invoke(
    'case.create',
    {
      name: 'Demo: LSASS credential theft on PRD01',
      description:
        'A walk-through case. Sysmon on PRD01 (192.168.1.42) saw a process read LSASS memory, followed by ' +
        'beaconing to 10.0.5.13. Import evidence, review alerts and run the containment playbook from here.',
    },
    seeder,
  );
  if (!created.ok) throw new Error(created.error.message);
  const caseId = created.value.id;
  for (const body of [
    'Triage: alert came from Sysmon EventID 10 (process access) with GrantedAccess 0x1010 on lsass.exe.',
    'Next: pull Zeek conn logs for 10.0.5.13 and check whether other hosts talked to it.',
  ]) {
    const note = await router.invoke('note.add', { caseId, body }, seeder);
    if (!note.ok) throw new Error(note.error.message);
  }
  const evidence = demoEvidence(options.fixturesDir);
  if (evidence.length) {
    const imported = await router.invoke('evidence.import', { caseId, paths: evidence }, seeder);
    if (!imported.ok) throw new Error(`demo evidence: ${imported.error.message}`);
  }
  return caseId;
}

/** The LSASS campaign 03 host and network logs shipped in fixtures/ (OTRF, MIT), when they are there. */
export function demoEvidence(fixturesDir: string | null | undefined): string[] {
  if (!fixturesDir) return [];
  const host = path.join(fixturesDir, 'windows', 'lsass-campaign-03');
  const network = path.join(fixturesDir, 'zeek', 'lsass-campaign-03');
  if (!fs.existsSync(host) || !fs.existsSync(network)) return [];
  const list = (dir: string) => fs.readdirSync(dir).filter((f) => /\.(ndjson|log)$/.test(f)).sort().map((f) => path.join(dir, f));
  return [...list(host), ...list(network)];
}
