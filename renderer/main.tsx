import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './client/index.js';
import { useApp } from './state/app-store.js';
import { connectEvidence } from './state/evidence-events.js';
import { connectPlaybooks } from './state/playbook-events.js';
import { App } from './views/App.js';
import './styles.css';

const client = createClient();
useApp.getState().connect(client);
connectEvidence(client);
connectPlaybooks(client);
window.addEventListener('hashchange', () => useApp.getState().syncRoute());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
