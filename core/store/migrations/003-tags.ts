// Tags of each record (Elastic rule tags, Wazuh rule groups, Entra targets) as a searchable column: each tag is
// wrapped in unit separators (\x1f), so a tag is found whole with LIKE and may itself contain spaces.
export const tags = `
ALTER TABLE events ADD COLUMN tags TEXT NOT NULL DEFAULT '';
`;
