import { useState } from 'react';
import { EntityType, type CaseId, type EventId, type GraphEdge, type GraphNode } from '../../../core/model/index.js';
import { useDetail } from '../../state/detail-store.js';
import { useGraph } from '../../state/graph-store.js';
import { formatTime } from '../common/format.js';
import { nodeLabel } from './IncidentGraph.js';

/**
 * The selected node or edge: what it is, the records behind it, and what the analyst can do with it. The node's
 * edges in view are listed so an edge can be picked without hitting a thin line on the canvas.
 */
export function GraphSidePanel({ caseId, nodes, edges }: { caseId: CaseId; nodes: GraphNode[]; edges: GraphEdge[] }) {
  const { selected, pinned, records, loading, select, expand, hide, togglePin, loadRecords } = useGraph();
  const showRecord = useDetail((s) => s.show);
  const node = selected?.kind === 'node' ? nodes.find((n) => n.id === selected.id) : undefined;
  const edge = selected?.kind === 'edge' ? edges.find((e) => e.id === selected.id) : undefined;
  const element = node ?? edge;
  const labelOf = (id: string) => {
    const n = nodes.find((m) => m.id === id);
    return n ? nodeLabel(n) : id;
  };

  if (!element) {
    return (
      <aside className="graph-panel pane" aria-label="Selection">
        <p className="muted">Select a node in the graph or in the list below it.</p>
        <EntityForm />
      </aside>
    );
  }
  const touching = node ? edges.filter((e) => e.source === node.id || e.target === node.id) : [];

  return (
    <aside className="graph-panel pane" aria-label="Selection" data-kind={selected?.kind} data-id={element.id}>
      <h2 data-testid="graph-selected-label">{node ? nodeLabel(node) : `${labelOf(edge!.source)} → ${labelOf(edge!.target)}`}</h2>
      <table className="fields" aria-label="Selected element">
        <tbody>
          <tr>
            <th scope="row">type</th>
            <td data-testid="graph-selected-type">{element.type}</td>
          </tr>
          <tr>
            <th scope="row">id</th>
            <td>
              <code>{element.id}</code>
            </td>
          </tr>
          <tr>
            <th scope="row">records</th>
            <td data-testid="graph-selected-records">{element.records}</td>
          </tr>
          <tr>
            <th scope="row">first</th>
            <td>{element.first ? formatTime(element.first) : '—'}</td>
          </tr>
          <tr>
            <th scope="row">last</th>
            <td>{element.last ? formatTime(element.last) : '—'}</td>
          </tr>
          {Object.entries(element.data)
            .filter(([key]) => key !== 'members')
            .map(([key, value]) => (
              <tr key={key}>
                <th scope="row">{key}</th>
                <td>{Array.isArray(value) ? value.join(', ') : String(value)}</td>
              </tr>
            ))}
        </tbody>
      </table>

      <div className="row actions">
        {node && (
          <button type="button" disabled={loading} onClick={() => void expand(node.id)}>
            {node.type === 'group' ? 'Show members' : 'Expand'}
          </button>
        )}
        {node && (
          <button type="button" onClick={() => hide(node.id)}>
            Hide
          </button>
        )}
        {node && (
          <button type="button" aria-pressed={pinned.includes(node.id)} onClick={() => togglePin(node.id)}>
            {pinned.includes(node.id) ? 'Unpin' : 'Pin'}
          </button>
        )}
        <button type="button" disabled={loading} onClick={() => void loadRecords()}>
          Records
        </button>
      </div>

      {touching.length > 0 && (
        <section aria-labelledby="graph-edges-title">
          <h3 id="graph-edges-title">Edges in view ({touching.length})</h3>
          <ul className="graph-list" aria-label="Edges of the selected node">
            {touching.map((e) => (
              <li key={e.id}>
                <button type="button" className={`link edge-${e.type}`} data-edge-id={e.id} onClick={() => select({ kind: 'edge', id: e.id })}>
                  {e.type}: {labelOf(e.source)} → {labelOf(e.target)} ({e.records})
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      {records && records.target === element.id && (
        <section aria-labelledby="graph-records-title">
          <h3 id="graph-records-title" data-testid="graph-records-total">
            {records.total} records{records.rows.length < records.total ? ` (first ${records.rows.length})` : ''}
          </h3>
          <ul className="graph-list" aria-label="Records of the selection">
            {records.rows.map((r) => (
              <li key={r.id} data-format={r.format}>
                <button type="button" className="link" data-event-id={r.id} onClick={() => void showRecord(caseId, r.id as EventId)}>
                  <time dateTime={r.ts}>{formatTime(r.ts)}</time> <code>{r.format}</code> {r.title}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      <NoteForm label={node ? `${node.type} ${nodeLabel(node)}` : `${edge!.type} ${labelOf(edge!.source)} → ${labelOf(edge!.target)}`} id={element.id} />
      <EntityForm />
    </aside>
  );
}

/** A note about the selection; its body names the element so the journal and the report say what it was about. */
function NoteForm({ label, id }: { label: string; id: string }) {
  const addNote = useGraph((s) => s.addNote);
  const [text, setText] = useState('');
  return (
    <form
      className="graph-form"
      aria-label="Add note"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await addNote(`Graph ${label} (${id}): ${text.trim()}`)) setText('');
      }}
    >
      <textarea aria-label="Note" rows={2} placeholder={`A note about ${label}`} value={text} onChange={(e) => setText(e.target.value)} />
      <button type="submit" disabled={!text.trim()}>
        Add note
      </button>
    </form>
  );
}

function EntityForm() {
  const addEntity = useGraph((s) => s.addEntity);
  const [type, setType] = useState<EntityType>('ip');
  const [value, setValue] = useState('');
  return (
    <form
      className="graph-form row"
      aria-label="Add entity"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await addEntity(type, value.trim())) setValue('');
      }}
    >
      <select aria-label="Entity type" value={type} onChange={(e) => setType(EntityType.parse(e.target.value))}>
        {EntityType.options.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      <input aria-label="Entity value" placeholder="203.0.113.9" value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" disabled={!value.trim()}>
        Add entity
      </button>
    </form>
  );
}
