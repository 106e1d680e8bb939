// Every shipped rule that has SigmaHQ regression data fires on its events, at least as often as info.yml records.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { allFormats } from '../../ingest/formats/index.js';
import { frameRecords } from '../../ingest/framing.js';
import { sniffFormat } from '../../ingest/sniff.js';
import { fixture, ROOT } from '../../ingest/import.test-helpers.js';
import { loadRules } from './load.js';

const RULES = path.join(ROOT, 'content', 'sigma', 'rules');
const REGRESSION = fixture('sigma/regression_data');

interface Info {
  rule_metadata: { id: string; title: string }[];
  regression_tests_info: { name: string; type: string; match_count?: number; path: string }[];
}

function infoFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? infoFiles(full) : e.name === 'info.yml' ? [full] : [];
  });
}

async function readEvents(file: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const r of frameRecords(fs.createReadStream(file))) {
    assert.ok(r.value, `${file}:${r.line}: ${r.error}`);
    out.push(r.value);
  }
  return out;
}

describe('SigmaHQ regression data', async () => {
  const engine = loadRules(RULES);
  const infos = infoFiles(REGRESSION).sort();

  test('the shipped rules all load, and every rule naming regression data has it', () => {
    assert.deepEqual(engine.rejected, []);
    assert.equal(engine.rules.length, 38);
    const named = fs
      .readdirSync(RULES, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yml'))
      .flatMap((f) => {
        const m = /^regression_tests_path: (.+)$/m.exec(fs.readFileSync(path.join(RULES, f), 'utf8'));
        return m ? [m[1]!.trim()] : [];
      })
      .sort();
    assert.equal(named.length, 15);
    assert.deepEqual(named, infos.map((i) => `regression_data/${path.relative(REGRESSION, i).split(path.sep).join('/')}`).sort());
  });

  for (const infoFile of infos) {
    const info = parse(fs.readFileSync(infoFile, 'utf8')) as Info;
    for (const meta of info.rule_metadata) {
      test(`${meta.title} (${meta.id})`, async () => {
        const rule = engine.rules.find((r) => r.info.id === meta.id);
        assert.ok(rule, `rule ${meta.id} is not among the shipped rules`);
        for (const t of info.regression_tests_info) {
          // info.yml names the .evtx; the .json beside it holds the same events as evtx_dump JSON.
          const json = path.join(path.dirname(infoFile), path.basename(t.path).replace(/\.evtx$/, '.json'));
          const events = await readEvents(json);
          const format = sniffFormat(events.slice(0, 20), allFormats, 'json')?.format.name;
          assert.equal(format, 'windows-evtx');
          const matching = events.filter((raw) => engine.match({ format, raw, file: json }).some((h) => h.rule === rule));
          assert.ok(matching.length >= (t.match_count ?? 1), `${t.name}: ${matching.length} of ${events.length} events match, expected at least ${t.match_count ?? 1}`);
        }
      });
    }
  }

  test('a file of several events: only the true positives match', async () => {
    // Six Sysmon 11 events: three procdump binaries written, and their three :Zone.Identifier streams.
    const file = fixture('sigma/regression_data/rules/windows/file/file_event/file_event_win_cred_dump_tools_dropped_files/8fbf3271-1ef6-4e94-8210-03c2317947f6.json');
    const events = await readEvents(file);
    const hit = events.map((raw) => engine.match({ format: 'windows-evtx', raw }).map((h) => h.rule.info.id));
    assert.deepEqual(hit, [
      ['8fbf3271-1ef6-4e94-8210-03c2317947f6'],
      [],
      ['8fbf3271-1ef6-4e94-8210-03c2317947f6'],
      [],
      ['8fbf3271-1ef6-4e94-8210-03c2317947f6'],
      [],
    ]);
  });
});
