// Runs the Quell CLI in this very process, exactly as cli/bin.ts does (same arguments), and when the process exits
// writes its peak resident set size to the file named by QUELL_BENCH_RSS_OUT. The import figure spawns this so that
// the memory it reports is the importer's own, not the bench runner's.
//
//   QUELL_BENCH_RSS_OUT=rss.json node --import tsx bench/import-child.ts --db quell.db --json import FILE… --case ID
import fs from 'node:fs';

const out = process.env.QUELL_BENCH_RSS_OUT;
process.on('exit', (code) => {
  // maxRSS is in KiB (getrusage ru_maxrss): the high-water mark of the whole process, native memory included.
  if (out) fs.writeFileSync(out, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, code }));
});
await import('../cli/bin.js');
