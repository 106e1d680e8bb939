import type { VendorManifest } from '../../state/connectors-store.js';

export type SettingsField = VendorManifest['settings'][number];

/** What the responder typed for one field, as text (checkboxes as 'true'/'false'). */
export type Draft = Record<string, string>;

export function initialDraft(fields: readonly SettingsField[]): Draft {
  const draft: Draft = {};
  for (const f of fields) {
    if (f.default === undefined) draft[f.name] = '';
    else draft[f.name] = typeof f.default === 'string' ? f.default : JSON.stringify(f.default);
  }
  return draft;
}

/**
 * The settings object the core validates with the vendor's schema: empty optional fields left out, numbers and
 * booleans as such, objects and lists parsed from their JSON. A field that is not valid JSON says so by name; every
 * other check is the core's, so the form and the CLI get the same messages.
 */
export function settingsFromDraft(fields: readonly SettingsField[], draft: Draft): { settings: Record<string, unknown> } | { error: string } {
  const settings: Record<string, unknown> = {};
  for (const f of fields) {
    const text = (draft[f.name] ?? '').trim();
    if (text === '') continue;
    if (f.type === 'integer' || f.type === 'number') {
      const n = Number(text);
      if (!Number.isFinite(n)) return { error: `${f.name}: "${text}" is not a number` };
      settings[f.name] = n;
    } else if (f.type === 'boolean') {
      settings[f.name] = text === 'true';
    } else if (f.type === 'object' || f.type === 'array' || f.type === 'unknown') {
      try {
        settings[f.name] = JSON.parse(text) as unknown;
      } catch {
        if (f.type === 'unknown') settings[f.name] = text;
        else return { error: `${f.name}: not valid JSON (${f.type === 'object' ? 'an object like {"kind": "…"}' : 'a list like ["…"]'})` };
      }
    } else {
      settings[f.name] = text;
    }
  }
  return { settings };
}
