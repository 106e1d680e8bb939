import { z } from 'zod';

// Branded ids are parsed at the edge so that, say, an alert id cannot be passed where a case id is expected.
const idText = z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, "_" and "-"');

export const CaseId = idText.brand<'CaseId'>();
export type CaseId = z.infer<typeof CaseId>;

export const NoteId = idText.brand<'NoteId'>();
export type NoteId = z.infer<typeof NoteId>;
