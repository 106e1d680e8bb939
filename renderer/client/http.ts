import type { EventName, QuellBridge, Result } from '../../core/api/index.js';

/**
 * Browser mode: the page was opened with ?token=…, the host answered with an HttpOnly cookie, so same-origin
 * fetches and the event stream are authenticated without the script ever holding the token. The token is removed
 * from the address bar so it is not bookmarked or shared by accident.
 */
export function httpBridge(): QuellBridge {
  const url = new URL(window.location.href);
  if (url.searchParams.has('token')) {
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }

  let source: EventSource | null = null;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const ensureSource = (): EventSource => {
    if (source) return source;
    source = new EventSource('/api/events');
    return source;
  };

  return {
    async invoke(command, input) {
      const response = await fetch('/api/invoke', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ command, input }),
        credentials: 'same-origin',
      });
      return (await response.json()) as Result<unknown>;
    },
    async upload(file: File) {
      const response = await fetch(`/api/upload?name=${encodeURIComponent(file.name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: file,
        credentials: 'same-origin',
      });
      return (await response.json()) as Result<{ path: string }>;
    },
    subscribe(event: EventName, listener) {
      const es = ensureSource();
      let set = listeners.get(event);
      if (!set) {
        const created = new Set<(payload: unknown) => void>();
        listeners.set(event, created);
        es.addEventListener(event, (message) => {
          const payload: unknown = JSON.parse((message as MessageEvent<string>).data);
          for (const l of created) l(payload);
        });
        set = created;
      }
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
