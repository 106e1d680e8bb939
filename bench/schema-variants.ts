// Schema variants for the import prototypes (scratch, never used by Quell): SQL run on top of the real migrations.

/** A contentless FTS5 table the importer fills itself with the record's title and a compact text, no trigger. */
export const CONTENTLESS_FTS = `
DROP TRIGGER events_fts_insert; DROP TRIGGER events_fts_delete; DROP TABLE events_fts;
CREATE VIRTUAL TABLE events_fts USING fts5 (title, text, content = '', contentless_delete = 1);`;

/** event_entities keyed by the integer rowids of events and entities instead of their 35-character text ids. */
export const INT_LINKS = `
DROP TABLE event_entities;
CREATE TABLE event_entities (
  event_n  INTEGER NOT NULL,
  entity_n INTEGER NOT NULL,
  role     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (event_n, entity_n, role)
) STRICT, WITHOUT ROWID;
CREATE INDEX event_entities_by_entity ON event_entities (entity_n);
-- What ON DELETE CASCADE did (a foreign key cannot name a rowid that is not an INTEGER PRIMARY KEY).
CREATE TRIGGER events_links_delete AFTER DELETE ON events BEGIN DELETE FROM event_entities WHERE event_n = old.rowid; END;
CREATE TRIGGER entities_links_delete AFTER DELETE ON entities BEGIN DELETE FROM event_entities WHERE entity_n = old.rowid; END;`;

/** What an importer would index instead of the raw record: the fields people search for, once each. */
export function compactText(title: unknown, fields: readonly unknown[]): string {
  const parts = new Set<string>();
  for (const v of fields) if (typeof v === 'string' && v && v !== title) parts.add(v);
  return [...parts].join(' ');
}
