import { useEffect, useState } from 'react';
import { useConnectors } from '../../state/connectors-store.js';
import { AddConnectorForm } from './AddConnectorForm.js';
import { ConnectorCard } from './ConnectorCard.js';

/** The SIEM/EDR systems Quell pulls from and acts on: nothing leaves the machine until one is configured here. */
export function ConnectorsPage() {
  const { vendors, connectors, load } = useConnectors();
  const [adding, setAdding] = useState(false);
  useEffect(() => void load(), [load]);

  return (
    <section className="connectors-page scrolls" aria-labelledby="connectors-title">
      <header className="page-header case-header">
        <div>
          <h1 id="connectors-title">Connectors</h1>
          <p className="muted">
            {vendors ? `Built in: ${vendors.map((v) => v.vendor).join(', ') || 'none'}.` : 'Loading…'} Secrets go to the secret store, never to a case.
          </p>
        </div>
        {!adding && (
          <button type="button" onClick={() => setAdding(true)} disabled={!vendors?.length}>
            Add connector
          </button>
        )}
      </header>
      {adding && <AddConnectorForm onDone={() => setAdding(false)} />}
      {connectors?.length === 0 && !adding && <p className="empty">No connector yet: Quell talks to nothing outside this machine.</p>}
      <div className="connector-list">
        {connectors?.map((c) => (
          <ConnectorCard key={c.name} connector={c} />
        ))}
      </div>
    </section>
  );
}
