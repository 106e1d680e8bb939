import fs from 'node:fs';
import path from 'node:path';
import { createRng, generatedId, replicate, type Rng } from '../../sdk/index.js';

export type Alert = Record<string, unknown> & { id: string; alertCreationTime: string; machineId: string | null };

export interface Machine {
  id: string;
  computerDnsName: string;
}

/** The recorded `/api/alerts` pages the emulator serves (content/emulators/defender). */
export const RECORDED = ['demisto-first_response_alerts.json', 'demisto-second_response_alerts.json', 'demisto-third_response_alerts.json'];

/** The recorded alerts, once each (the pages overlap: they are successive polls of one tenant). */
export function loadRecorded(dir: string): Alert[] {
  const byId = new Map<string, Alert>();
  for (const file of RECORDED) {
    const page = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { value: Alert[] };
    for (const alert of page.value) if (!byId.has(alert.id)) byId.set(alert.id, alert);
  }
  return [...byId.values()];
}

/** A Defender time: ISO with 7 fractional digits, as the API writes alertCreationTime. */
export function defenderTime(ms: number, rng: Rng): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_, frac: string) => `.${frac}${String(rng.int(10_000)).padStart(4, '0')}Z`);
}

/** Detections the generated alerts carry, in the current alert shape (evidence, relatedUser, mitreTechniques). */
const DETECTIONS = [
  {
    title: 'Suspicious process injection observed', category: 'DefenseEvasion', severity: 'High', techniques: ['T1055'],
    process: { fileName: 'rundll32.exe', filePath: 'C:\\Windows\\SysWOW64', processCommandLine: 'rundll32.exe c:\\users\\public\\x.dll,Start' },
  },
  {
    title: 'Credential dumping from LSASS memory', category: 'CredentialAccess', severity: 'High', techniques: ['T1003.001'],
    process: { fileName: 'procdump64.exe', filePath: 'C:\\Temp', processCommandLine: 'procdump64.exe -accepteula -ma lsass.exe lsass.dmp' },
  },
  {
    title: 'Suspicious PowerShell command line', category: 'Execution', severity: 'Medium', techniques: ['T1059.001'],
    process: { fileName: 'powershell.exe', filePath: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0', processCommandLine: 'powershell.exe -nop -w hidden -enc SQBFAFgA' },
  },
  {
    title: 'Scheduled task created for persistence', category: 'Persistence', severity: 'Low', techniques: ['T1053.005'],
    process: { fileName: 'schtasks.exe', filePath: 'C:\\Windows\\System32', processCommandLine: 'schtasks.exe /create /tn upd /tr c:\\temp\\u.exe /sc onlogon' },
  },
  {
    title: "'Mimikatz' hacktool was detected", category: 'Malware', severity: 'Informational', techniques: [],
    process: { fileName: 'mimikatz.exe', filePath: 'C:\\Users\\Public', processCommandLine: 'mimikatz.exe "sekurlsa::logonpasswords" exit' },
  },
] as const;

const USERS = ['alice', 'bob', 'carol', 'dave', 'svc-backup', 'admin-jo'];

/** The tenant's machines: the recorded alerts' machine plus `count` generated workstations. */
export function machinesFor(recorded: Alert[], count: number, seed: number): Machine[] {
  const machines: Machine[] = [];
  for (const a of recorded) {
    if (a.machineId && !machines.some((m) => m.id === a.machineId)) machines.push({ id: a.machineId, computerDnsName: `desktop-${a.machineId.slice(0, 6)}.contoso.com` });
  }
  const rng = createRng(seed ^ 0x3ac);
  for (let i = 1; i <= count; i++) machines.push({ id: rng.hex(40), computerDnsName: `ws-${String(i).padStart(4, '0')}.contoso.com` });
  return machines;
}

/**
 * The recorded alerts as they are, then `count` alerts replicating them (same fields and conventions) with new ids,
 * machines and creation times spread evenly over the `spanMs` before `now`, plus evidence as current alerts carry it.
 */
export function buildAlerts(recorded: Alert[], machines: Machine[], count: number, seed: number, now: number, spanMs: number): Alert[] {
  const start = now - spanMs;
  const step = count > 0 ? spanMs / count : 0;
  return replicate(recorded, count, seed, (template, i, rng) => {
    const detection = rng.pick(DETECTIONS);
    const machine = rng.pick(machines);
    const created = Math.floor(start + i * step + rng.next() * step);
    const user = rng.pick(USERS);
    return {
      ...template,
      // Defender ids: "da" + 18 digits + "_" + a signed 32-bit number.
      id: `da${BigInt(`0x${generatedId(seed, i).slice(0, 15)}`).toString().padStart(18, '0').slice(0, 18)}_${rng.int(4_294_967_296) - 2_147_483_648}`,
      incidentId: 1000 + Math.floor(i / 3),
      severity: detection.severity,
      detectionSource: 'WindowsDefenderAtp',
      detectorId: rng.uuid(),
      category: detection.category,
      title: detection.title,
      description: `${detection.title} on ${machine.computerDnsName}`,
      alertCreationTime: defenderTime(created, rng),
      firstEventTime: defenderTime(created - rng.int(600_000), rng),
      lastEventTime: defenderTime(created - 1000, rng),
      lastUpdateTime: defenderTime(created + 2000, rng),
      machineId: machine.id,
      computerDnsName: machine.computerDnsName,
      rbacGroupName: 'Workstations',
      mitreTechniques: [...detection.techniques],
      relatedUser: { userName: user, domainName: 'CONTOSO' },
      evidence: [
        {
          entityType: 'Process', evidenceCreationTime: defenderTime(created, rng), sha1: rng.hex(40), sha256: null,
          ...detection.process, processId: 1000 + rng.int(9000), parentProcessId: 500 + rng.int(500),
          accountName: user, domainName: 'CONTOSO', userSid: null, userPrincipalName: `${user}@contoso.com`, detectionStatus: 'Detected',
        },
        { entityType: 'User', accountName: user, domainName: 'CONTOSO', userPrincipalName: `${user}@contoso.com`, userSid: null, aadUserId: null },
      ],
    };
  });
}
