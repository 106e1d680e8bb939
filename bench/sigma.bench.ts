// Sigma matching throughput: every shipped rule over a million telemetry records (the real Windows/Sysmon, Zeek and
// Suricata fixture lines, replicated), against only JSON.parse of the very same lines.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRules } from '../core/detect/sigma/load.js';
import type { RecordView } from '../core/detect/sigma/sources.js';
import type { BenchOptions, Figure, Trial } from './figure.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHUNK = 10_000;

/** The fixture files, each with the Quell format its records import as. */
const SOURCES: [file: string, format: string][] = [
  ['fixtures/windows/lsass-campaign-03/metasploit_comsvcs_lsass_memory_dump.subset.ndjson', 'windows-nxlog'],
  ['fixtures/windows/atomic/psh_lsass_memory_dump_comsvcs_2020-10-18T19500924.json', 'windows-nxlog'],
  ['fixtures/windows/atomic/schtask_create_2020-12-1907003032.json', 'windows-nxlog'],
  ['fixtures/zeek/apt29-day1/combined_zeek.first300.ndjson', 'zeek'],
  ['fixtures/zeek/apt29-day1/combined_zeek.selection.ndjson', 'zeek'],
  ['fixtures/suricata/eve-alerts.ndjson', 'suricata-eve'],
  ['fixtures/suricata/eve-mixed-small.ndjson', 'suricata-eve'],
];

interface Line {
  text: string;
  format: string;
}

function fixtureLines(): Line[] {
  const lines: Line[] = [];
  for (const [file, format] of SOURCES) {
    for (const text of fs.readFileSync(path.join(ROOT, file), 'utf8').split(/\r?\n/)) {
      if (text.trim()) lines.push({ text, format });
    }
  }
  return lines;
}

function setup({ quick }: BenchOptions): Trial {
  const total = quick ? 100_000 : 1_000_000;
  const distinct = fixtureLines();
  // The fixture lines in turn, over and over: the workload is `total` records in the fixtures' own mix.
  const lineAt = (i: number) => distinct[i % distinct.length]!;
  const engine = loadRules(path.join(ROOT, 'content', 'sigma', 'rules'));
  if (engine.rejected.length) throw new Error(`sigma bench: shipped rules rejected: ${engine.rejected.map((r) => `${r.file}: ${r.reason}`).join('; ')}`);
  const mix: Record<string, number> = {};
  let bytes = 0;
  for (let i = 0; i < total; i++) {
    const l = lineAt(i);
    mix[l.format] = (mix[l.format] ?? 0) + 1;
    bytes += Buffer.byteLength(l.text);
  }
  let detections = 0;
  const parsed = new Array<Record<string, unknown>>(CHUNK);

  return {
    workload: {
      records: total,
      distinctLines: distinct.length,
      meanLineBytes: Math.round(bytes / total),
      ...Object.fromEntries(Object.entries(mix).map(([f, n]) => [f, n])),
      rules: engine.rules.length,
      get detectionsPerPass() {
        return detections;
      },
    } as Record<string, string | number>,

    // Records matched per second of matching time: each chunk is parsed first (untimed), then matched (timed).
    quell() {
      let matchMs = 0;
      let found = 0;
      for (let from = 0; from < total; from += CHUNK) {
        const to = Math.min(from + CHUNK, total);
        for (let i = from; i < to; i++) parsed[i - from] = JSON.parse(lineAt(i).text) as Record<string, unknown>;
        const start = performance.now();
        for (let i = from; i < to; i++) {
          const view: RecordView = { format: lineAt(i).format, raw: parsed[i - from]! };
          found += engine.match(view).length;
        }
        matchMs += performance.now() - start;
      }
      detections = found;
      return total / (matchMs / 1000);
    },

    // Records parsed per second: JSON.parse of exactly the same lines, kept the same way.
    baseline() {
      let parseMs = 0;
      for (let from = 0; from < total; from += CHUNK) {
        const to = Math.min(from + CHUNK, total);
        const start = performance.now();
        for (let i = from; i < to; i++) parsed[i - from] = JSON.parse(lineAt(i).text) as Record<string, unknown>;
        parseMs += performance.now() - start;
      }
      return total / (parseMs / 1000);
    },

    close() {
      parsed.fill(undefined as never);
    },
  };
}

export const figures: Figure[] = [
  {
    name: 'sigma.match',
    what: 'every shipped Sigma rule (compiled once, routed by format and log source) over parsed telemetry records vs JSON.parse of the same lines; ratio = parse time / match time',
    unit: 'records/s',
    better: 'higher',
    target: 1,
    repetitions: { full: 3, quick: 3, warmups: 1 },
    setup,
  },
];
