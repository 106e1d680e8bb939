// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by source file, and total
// (inclusive) time of the functions that matter to an import. Scratch tooling for the import figure's profile.
//
//   node --import tsx bench/cpuprofile-summary.ts FILE.cpuprofile [--top N] [--per N]   (--per: µs per N rows)
import fs from 'node:fs';
import path from 'node:path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: node --import tsx bench/cpuprofile-summary.ts FILE.cpuprofile [--top N] [--per ROWS]');
  process.exit(2);
}
const opt = (name: string, fallback: number) => {
  const i = rest.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(rest[i + 1]);
};
const top = opt('top', 40);
const per = opt('per', 0);

const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = profile.endTime - profile.startTime;

const short = (url: string) => {
  if (!url) return '(native)';
  const p = url.replace(/^file:\/\//, '');
  const i = p.indexOf('/work/main/');
  return i === -1 ? path.basename(p) : p.slice(i + '/work/main/'.length);
};
const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;

const selfByFn = new Map<string, number>();
const selfByFile = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  selfByFn.set(label(n), (selfByFn.get(label(n)) ?? 0) + us);
  const f = n.callFrame.url ? short(n.callFrame.url) : n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : '(native)';
  selfByFile.set(f, (selfByFile.get(f) ?? 0) + us);
}

// Inclusive time per function name: a sample counts once for every distinct function on its stack.
const inclusive = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const n = byId.get(cur)!;
    const key = `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
});

const fmt = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)} %${per ? ` ${(us / per).toFixed(1).padStart(7)} µs/row` : ''}`;
const print = (title: string, m: Map<string, number>, limit: number) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit)) console.log(`${fmt(us)}  ${k}`);
};
console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s profiled`);
print('self time by function', selfByFn, top);
print('self time by file', selfByFile, 25);
print('inclusive time by function', inclusive, top);
