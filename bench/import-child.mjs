// Runs the Quell CLI in this very process, exactly as `quell` (bin/quell.mjs) does: the built bundle, no tsx, with the
// same arguments. When the process exits it writes its peak resident set size (all threads: the evidence reader's
// worker too) to the file named by QUELL_BENCH_RSS_OUT. The import figure spawns this so that the memory it reports
// is the importer's own, not the bench runner's. With QUELL_BENCH_MEM_SAMPLE=1 it also keeps
// the highest V8 heap and external (Buffer) figures, sampled every 250 ms, to tell where the memory goes.
//
//   QUELL_BENCH_RSS_OUT=rss.json node bench/import-child.mjs --db quell.db --json import FILE… --case ID
import fs from 'node:fs';

const out = process.env.QUELL_BENCH_RSS_OUT;
const peaks = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
if (process.env.QUELL_BENCH_MEM_SAMPLE) {
  setInterval(() => {
    const m = process.memoryUsage();
    for (const k of Object.keys(peaks)) peaks[k] = Math.max(peaks[k], m[k]);
  }, 250).unref();
}
process.on('exit', (code) => {
  // maxRSS is in KiB (getrusage ru_maxrss): the high-water mark of the whole process, native memory included.
  const sampled = process.env.QUELL_BENCH_MEM_SAMPLE
    ? Object.fromEntries(Object.entries(peaks).map(([k, v]) => [`${k}MiB`, Math.round(v / 2 ** 20)]))
    : {};
  if (out) fs.writeFileSync(out, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, code, ...sampled }));
});
await import('../bin/quell.mjs');
