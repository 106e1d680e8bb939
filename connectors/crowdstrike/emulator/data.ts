import fs from 'node:fs';
import path from 'node:path';
import { createRng, replicate, type Rng } from '../../sdk/index.js';

export type Alert = Record<string, unknown> & { composite_id: string; created_timestamp: string };

export interface Device {
  device_id: string;
  hostname: string;
  platform_name: string;
  os_version: string;
  local_ip: string;
  external_ip: string;
  status: string;
  /** Device reads since the last containment change (the emulator's stand-in for the sensor checking in). */
  reads: number;
}

/** The recorded entities envelope the emulator serves (content/emulators/crowdstrike). */
export const RECORDED = 'demisto-ioa_alerts_v2_entities_response.json';

export function loadRecorded(dir: string): Alert[] {
  const body = JSON.parse(fs.readFileSync(path.join(dir, RECORDED), 'utf8')) as { resources: Alert[] };
  return body.resources;
}

/** Falcon times: ISO with nanoseconds. */
export function falconTime(ms: number, rng: Rng): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_, frac: string) => `.${frac}${String(rng.int(1_000_000)).padStart(6, '0')}Z`);
}

export function devicesFor(count: number, seed: number): Device[] {
  const rng = createRng(seed ^ 0xc5);
  return Array.from({ length: count }, (_, i) => ({
    device_id: rng.hex(32),
    hostname: `FIN-WS-${String(i + 1).padStart(3, '0')}`,
    platform_name: 'Windows',
    os_version: 'Windows 11',
    local_ip: `10.40.${Math.floor(i / 250)}.${(i % 250) + 2}`,
    external_ip: `198.51.100.${(i % 250) + 1}`,
    status: 'normal',
    reads: 0,
  }));
}

/** Endpoint detections the generated `epp` alerts carry (tactic, technique, process). */
const DETECTIONS = [
  { name: 'CredentialDumping', display: 'LSASS memory read by an unsigned process', tactic: 'Credential Access', tacticId: 'TA0006', technique: 'LSASS Memory', techniqueId: 'T1003.001', severity: 90, file: 'procdump64.exe', cmd: 'procdump64.exe -accepteula -ma lsass.exe out.dmp' },
  { name: 'MaliciousPowerShell', display: 'Encoded PowerShell command', tactic: 'Execution', tacticId: 'TA0002', technique: 'PowerShell', techniqueId: 'T1059.001', severity: 70, file: 'powershell.exe', cmd: 'powershell.exe -nop -w hidden -enc SQBFAFgA' },
  { name: 'RansomwareNote', display: 'Ransom note written to many folders', tactic: 'Impact', tacticId: 'TA0040', technique: 'Data Encrypted for Impact', techniqueId: 'T1486', severity: 90, file: 'locker.exe', cmd: 'locker.exe --all' },
  { name: 'SuspiciousScheduledTask', display: 'Scheduled task runs from a temp folder', tactic: 'Persistence', tacticId: 'TA0003', technique: 'Scheduled Task', techniqueId: 'T1053.005', severity: 50, file: 'schtasks.exe', cmd: 'schtasks.exe /create /tn upd /tr c:\\temp\\u.exe /sc onlogon' },
  { name: 'GenericReconnaissance', display: 'Domain discovery commands', tactic: 'Discovery', tacticId: 'TA0007', technique: 'Domain Trust Discovery', techniqueId: 'T1482', severity: 30, file: 'nltest.exe', cmd: 'nltest.exe /domain_trusts' },
] as const;

const SEVERITY_NAME: Record<number, string> = { 30: 'Low', 50: 'Medium', 70: 'High', 90: 'Critical' };

/**
 * The recorded alerts as they are, then `count` alerts replicating them with new composite ids and times spread
 * evenly over the `spanMs` before `now`: every other one an endpoint (`epp`) detection on a generated device, the
 * rest cloud (`fcs`) alerts like the recorded ones.
 */
export function buildAlerts(recorded: Alert[], devices: Device[], count: number, seed: number, now: number, spanMs: number): Alert[] {
  const start = now - spanMs;
  const step = count > 0 ? spanMs / count : 0;
  const cid = String(recorded[0]?.['cid'] ?? '00000000000000000000000000000001');
  return replicate(recorded, count, seed, (template, i, rng) => {
    const created = Math.floor(start + i * step + rng.next() * step);
    const stamps = { created_timestamp: falconTime(created, rng), updated_timestamp: falconTime(created + 500, rng), timestamp: new Date(created - 3000).toISOString(), crawled_timestamp: falconTime(created + 10, rng) };
    if (i % 2 === 1) {
      const uuid = rng.uuid();
      return { ...template, ...stamps, composite_id: `${cid}:fcs:ioa-211:${uuid}`, id: `fcs:ioa-211:${uuid}`, event_id: uuid, falcon_host_link: `https://falcon.crowdstrike.com/unified-detections/${cid}:fcs:ioa-211:${uuid}` };
    }
    const d = rng.pick(DETECTIONS);
    const device = rng.pick(devices);
    const pid = 1000 + rng.int(60_000);
    const local = `ind:${device.device_id}:${rng.int(1e12)}-${5700 + rng.int(300)}-${rng.int(1e6)}`;
    const mitre = [{ pattern_id: 5700 + rng.int(300), tactic_id: d.tacticId, technique_id: d.techniqueId, tactic: d.tactic, technique: d.technique }];
    // An endpoint alert keeps the recorded alerts' common fields, not their cloud-only ones.
    const common = Object.fromEntries(['cid', 'origin_cid', 'status', 'show_in_ui', 'source_vendors', 'seconds_to_resolved', 'seconds_to_triaged'].filter((k) => k in template).map((k) => [k, template[k]]));
    return {
      ...common,
      ...stamps,
      composite_id: `${cid}:${local}`,
      id: local,
      aggregate_id: `aggind:${device.device_id}:${rng.int(1e12)}`,
      agent_id: device.device_id,
      product: 'epp',
      type: 'ldt',
      data_domains: ['Endpoint'],
      source_products: ['Falcon Insight'],
      name: d.name,
      display_name: d.display,
      description: `${d.display} on ${device.hostname}`,
      severity: d.severity,
      severity_name: SEVERITY_NAME[d.severity],
      confidence: 50 + rng.int(50),
      tactic: d.tactic,
      tactic_id: d.tacticId,
      technique: d.technique,
      technique_id: d.techniqueId,
      mitre_attack: mitre,
      pattern_id: mitre[0]!.pattern_id,
      device: { device_id: device.device_id, hostname: device.hostname, platform_name: device.platform_name, os_version: device.os_version, local_ip: device.local_ip, external_ip: device.external_ip, status: 'normal' },
      filename: d.file,
      filepath: `\\Device\\HarddiskVolume3\\Windows\\Temp\\${d.file}`,
      cmdline: d.cmd,
      sha256: rng.hex(64),
      md5: rng.hex(32),
      local_process_id: String(pid),
      user_name: rng.pick(['alice', 'bob', 'svc-sql', 'admin-jo']),
      logon_domain: 'FINCORP',
      parent_details: { filename: 'explorer.exe', filepath: '\\Device\\HarddiskVolume3\\Windows\\explorer.exe', cmdline: 'C:\\Windows\\Explorer.EXE', sha256: rng.hex(64) },
      falcon_host_link: `https://falcon.crowdstrike.com/activity-v2/detections/${cid}:${local}`,
    };
  });
}
