import type { Actor } from '../model/index.js';
import type { Router } from '../router.js';

const seeder: Actor = { kind: 'system', id: 'demo-seed' };

/**
 * Gives a new user something real to look at: a demo case with the notes a responder would write on day one.
 * Runs through the router like any other caller, so the demo is journaled like everything else. Returns the new
 * case id, or null when the database already has cases (the seed never touches a database in use).
 */
export async function seedDemo(router: Router): Promise<string | null> {
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
  return caseId;
}
