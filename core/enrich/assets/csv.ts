/** One CSV record with the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * RFC 4180 CSV: quoted cells may hold commas, doubled quotes and line breaks. Blank lines and lines starting with `#`
 * are not records. An unterminated quote is reported with the line it opened on.
 */
export function parseCsv(text: string): { records: CsvRecord[] } | { error: string; line: number } {
  const records: CsvRecord[] = [];
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const start = line;
    const nl = text.indexOf('\n', i);
    const rest = text.slice(i, nl === -1 ? undefined : nl).trim();
    if (rest === '' || rest.startsWith('#')) {
      i = nl === -1 ? text.length : nl + 1;
      line++;
      continue;
    }
    const cells: string[] = [];
    let cell = '';
    for (;;) {
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) return { error: 'a quoted cell is never closed', line: start };
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          cell += ch;
          i++;
        }
      }
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') cell += text[i++];
      cells.push(cell);
      cell = '';
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    records.push({ line: start, cells });
  }
  return { records };
}
