import { usePlaybooks } from '../../state/playbooks-store.js';

/** "Import playbook…": a Quell YAML/JSON or CACAO 2.0 file, read here and checked by the core. */
export function ImportPlaybook() {
  const importFile = usePlaybooks((s) => s.importFile);
  const importing = usePlaybooks((s) => s.importing);
  return (
    <label className="file-button import-playbook">
      {importing ? 'Importing…' : 'Import playbook…'}
      <input
        type="file"
        accept=".yaml,.yml,.json"
        aria-label="Playbook file"
        disabled={importing}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void importFile(file);
        }}
      />
    </label>
  );
}
