// What Quell writes into a CACAO document of its own: one extension definition (declared in every export) whose
// step entries hold the full Quell step and whose playbook entry holds the Quell-only playbook fields, a fixed
// identity, and two agents for steps that had none. An importer that finds the extension trusts it, which is what
// makes quell → cacao → quell exact.

export const QUELL_EXTENSION = 'extension-definition--6f1c2a4e-8b0d-4c3e-9a51-2d7e4f0b9c13';
export const QUELL_IDENTITY = 'identity--3b8e5d2a-4f61-4c7a-8e09-1a2b3c4d5e6f';
/** Runs Quell's own actions (set, wait, built-ins and connector actions). CACAO's agent vocabulary is open. */
export const QUELL_AGENT = 'quell--0c6a9e47-5b1d-4f28-a3e6-7d9f2b4c8e10';
/** Performs manual and approval steps. */
export const RESPONDER_AGENT = 'individual--9d4b7c21-3e5f-4a80-b6c9-5e1f0a2d7c34';

export const quellExtensionDefinition = {
  type: 'extension-definition',
  name: 'Quell playbook',
  description:
    'The Quell playbook and step a CACAO object came from: step entries hold {"step": <Quell step without its nested blocks>}, the playbook entry holds {"playbook": <Quell-only playbook fields>, "generated": [<JSON pointers of values the exporter made up>]}.',
  created_by: QUELL_IDENTITY,
  schema: 'https://quell.invalid/cacao/quell-extension-1.0.json',
  version: '1.0',
};

export const quellAgents = {
  [QUELL_AGENT]: { type: 'quell', name: 'Quell playbook engine' },
  [RESPONDER_AGENT]: { type: 'individual', name: 'Quell responder' },
};

export interface QuellPlaybookExtension {
  playbook: Record<string, unknown>;
  generated: string[];
}
