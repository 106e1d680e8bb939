import { create } from 'zustand';
import type { ApiError, CommandOutput, EventPayload } from '../../core/api/index.js';
import type { CaseId, ImportSummary, JournalEntry } from '../../core/model/index.js';
import { useApp } from './app-store.js';

export type ImportResult = CommandOutput<'evidence.import'>;

export interface FileProgress {
  /** The name the user picked. */
  name: string;
  size: number;
  /** Where upload put it; its base name is what the core reports as `file`. */
  path: string | null;
  state: 'waiting' | 'uploading' | 'importing' | 'done';
  /** null while the core has not said how far it got in bytes (browser mode only sees the journal). */
  bytesRead: number | null;
  read: number;
  stored: number;
  duplicates: number;
  quarantined: number;
  skipped: number;
  /** Set once an import.progress event arrived; from then on its absolute counts win over journal deltas. */
  live: boolean;
}

export interface ImportState {
  open: boolean;
  caseId: CaseId | null;
  phase: 'picking' | 'uploading' | 'importing' | 'done' | 'failed';
  files: FileProgress[];
  result: ImportResult | null;
  error: ApiError | null;
  show(caseId: CaseId): void;
  /** Hides the dialog; an import still running carries on and is shown again when the dialog reopens. */
  close(): void;
  reset(): void;
  run(caseId: CaseId, files: File[], format: string): Promise<void>;
  onProgress(p: EventPayload<'import.progress'>): void;
  onJournal(entry: JournalEntry): void;
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;
const running = (phase: ImportState['phase']) => phase === 'uploading' || phase === 'importing';
const fresh = { phase: 'picking' as const, files: [], result: null, error: null };

export const useImport = create<ImportState>()((set, get) => {
  const patchFile = (index: number, patch: Partial<FileProgress>) =>
    set({ files: get().files.map((f, i) => (i === index ? { ...f, ...patch } : f)) });
  const indexOfCoreName = (file: unknown) => get().files.findIndex((f) => f.path !== null && baseName(f.path) === file);

  return {
    open: false,
    caseId: null,
    ...fresh,

    show(caseId) {
      if (get().caseId !== caseId && !running(get().phase)) set({ caseId, ...fresh });
      set({ open: true });
    },

    close() {
      set({ open: false });
      if (!running(get().phase)) set(fresh);
    },

    reset() {
      if (!running(get().phase)) set(fresh);
    },

    async run(caseId, picked, format) {
      const client = useApp.getState().client;
      if (!client || running(get().phase) || picked.length === 0) return;
      const files: FileProgress[] = picked.map((f) => ({
        name: f.name, size: f.size, path: null, state: 'waiting', bytesRead: null,
        read: 0, stored: 0, duplicates: 0, quarantined: 0, skipped: 0, live: false,
      }));
      set({ caseId, phase: 'uploading', files, result: null, error: null });

      const paths: string[] = [];
      for (const [i, file] of picked.entries()) {
        patchFile(i, { state: 'uploading' });
        const uploaded = await client.upload(file);
        if (!uploaded.ok) {
          set({ phase: 'failed', error: uploaded.error });
          return;
        }
        paths.push(uploaded.value.path);
        patchFile(i, { state: 'waiting', path: uploaded.value.path });
      }

      set({ phase: 'importing' });
      const result = await client.invoke('evidence.import', format ? { caseId, paths, format } : { caseId, paths });
      if (!result.ok) {
        set({ phase: 'failed', error: result.error });
        return;
      }
      result.value.files.forEach((summary, i) => patchFile(i, { ...countsOf(summary), state: 'done', bytesRead: get().files[i]?.size ?? null }));
      set({ phase: 'done', result: result.value });
    },

    onProgress(p) {
      if (p.caseId !== get().caseId || get().phase !== 'importing') return;
      const index = get().files[p.fileIndex] ? p.fileIndex : indexOfCoreName(p.file);
      if (index < 0) return;
      const { read, stored, duplicates, quarantined, skipped } = p;
      patchFile(index, { state: 'importing', live: true, bytesRead: p.bytesRead, read, stored, duplicates, quarantined, skipped });
    },

    // Browser mode receives no import.progress events, only the journal; its per-batch entries still show progress.
    onJournal(entry) {
      if (entry.caseId !== get().caseId || get().phase !== 'importing') return;
      const payload = (entry.payload ?? {}) as Record<string, unknown>;
      const index = indexOfCoreName(payload.file);
      const file = get().files[index];
      if (!file) return;
      const n = (key: string) => (typeof payload[key] === 'number' ? (payload[key] as number) : 0);
      if (entry.action === 'import.started') patchFile(index, { state: 'importing' });
      else if (entry.action === 'import.batch' && !file.live) {
        const delta = { stored: n('stored'), duplicates: n('duplicates'), quarantined: n('quarantined'), skipped: n('skipped') };
        patchFile(index, {
          state: 'importing',
          stored: file.stored + delta.stored,
          duplicates: file.duplicates + delta.duplicates,
          quarantined: file.quarantined + delta.quarantined,
          skipped: file.skipped + delta.skipped,
          read: file.read + delta.stored + delta.duplicates + delta.quarantined + delta.skipped,
        });
      } else if (entry.action === 'import.finished') {
        patchFile(index, { ...countsOf(payload as Partial<ImportSummary>), state: 'done', bytesRead: file.size });
      }
    },
  };
});

function countsOf(s: Partial<ImportSummary>) {
  return { read: s.read ?? 0, stored: s.stored ?? 0, duplicates: s.duplicates ?? 0, quarantined: s.quarantined ?? 0, skipped: s.skipped ?? 0 };
}
