// Sigma detection. Zeek TSV records keep their raw line as `original`, which names no fields: the header blocks of
// each import (#separator … #fields, #types, and the line they apply from) are kept so that a stored line can be
// read by field name again. Sigma alerts themselves are ordinary `events` rows (kind 'alert', format 'sigma').
export const sigma = `
ALTER TABLE imports ADD COLUMN zeek_headers TEXT;
`;
