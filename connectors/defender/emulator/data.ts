import fs from 'node:fs';
import path from 'node:path';

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

const hex = (rng: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rng() * 16).toString(16)).join('');
const pick = <T>(rng: () => number, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;

/** A Defender time: ISO with 7 fractional digits, as the API writes alertCreationTime. */
export function defenderTime(ms: number, rng: () => number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_, frac: string) => `.${frac}${String(Math.floor(rng() * 10_000)).padStart(4, '0')}Z`);
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

/** Machines of the generated tenant: the recorded alerts' machine plus `count` more. */
export function machinesFor(recorded: Alert[], count: number, rng: () => number): Machine[] {
  const machines: Machine[] = [];
  for (const a of recorded) {
    if (a.machineId && !machines.some((m) => m.id === a.machineId)) machines.push({ id: a.machineId, computerDnsName: `recorded-${a.machineId.slice(0, 6)}.contoso.com` });
  }
  for (let i = 1; i <= count; i++) machines.push({ id: hex(rng, 40), computerDnsName: `ws-${String(i).padStart(4, '0')}.contoso.com` });
  return machines;
}

/**
 * `count` alerts replicating the recorded ones (same fields, same tenant conventions) with new ids, machines and
 * creation times spread over the `spanMs` before `now`, in time order, plus evidence as current alerts carry it.
 */
export function generateAlerts(recorded: Alert[], machines: Machine[], count: number, now: number, spanMs: number, rng: () => number): Alert[] {
  const out: Alert[] = [];
  const start = now - spanMs;
  for (let i = 0; i < count; i++) {
    const template = recorded[i % recorded.length]!;
    const detection = pick(rng, DETECTIONS);
    const machine = machines[Math.floor(rng() * machines.length)]!;
    const created = start + Math.floor(((i + rng()) / count) * spanMs);
    const firstEvent = created - Math.floor(rng() * 600_000);
    const user = pick(rng, USERS);
    const sha1 = hex(rng, 40);
    out.push({
      ...template,
      id: `da${String(637_000_000_000_000_000 + Math.floor(rng() * 1e15))}_${Math.floor(rng() * 4_294_967_296) - 2_147_483_648}`,
      incidentId: 1000 + Math.floor(i / 3),
      severity: detection.severity,
      detectionSource: 'WindowsDefenderAtp',
      detectorId: hex(rng, 8) + '-' + hex(rng, 4) + '-' + hex(rng, 4) + '-' + hex(rng, 4) + '-' + hex(rng, 12),
      category: detection.category,
      title: detection.title,
      description: `${detection.title} on ${machine.computerDnsName}`,
      alertCreationTime: defenderTime(created, rng),
      firstEventTime: defenderTime(firstEvent, rng),
      lastEventTime: defenderTime(created - 1000, rng),
      lastUpdateTime: defenderTime(created + 2000, rng),
      machineId: machine.id,
      computerDnsName: machine.computerDnsName,
      rbacGroupName: 'Workstations',
      mitreTechniques: [...detection.techniques],
      relatedUser: { userName: user, domainName: 'CONTOSO' },
      evidence: [
        {
          entityType: 'Process', evidenceCreationTime: defenderTime(created, rng), sha1, sha256: null,
          ...detection.process, processId: 1000 + Math.floor(rng() * 9000), parentProcessId: 500 + Math.floor(rng() * 500),
          accountName: user, domainName: 'CONTOSO', userSid: null, userPrincipalName: `${user}@contoso.com`, detectionStatus: 'Detected',
        },
        { entityType: 'User', accountName: user, domainName: 'CONTOSO', userPrincipalName: `${user}@contoso.com`, userSid: null, aadUserId: null },
      ],
    });
  }
  return out;
}
