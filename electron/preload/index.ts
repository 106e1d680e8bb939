// The whole surface the renderer gets: invoke(command, input) and subscribe(event, listener). Names are checked
// against the core/api contract here and again in main, which also validates every input with zod.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE, IPC_SUBSCRIBE, commandNames, eventNames, type QuellBridge, type Result } from '../../core/api/index.js';

const knownCommands = new Set<string>(commandNames);
const knownEvents = new Set<string>(eventNames);
const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(IPC_EVENT, (_event: IpcRendererEvent, name: string, payload: unknown) => {
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

const bridge: QuellBridge = {
  invoke(command, input) {
    if (!knownCommands.has(command)) {
      const result: Result<unknown> = { ok: false, error: { code: 'unknown_command', message: `Unknown command "${command}".` } };
      return Promise.resolve(result);
    }
    return ipcRenderer.invoke(IPC_INVOKE, command, input) as Promise<Result<unknown>>;
  },
  // The desktop reads picked or dropped files where they are: no copy, the main process opens the path itself.
  upload(file) {
    const path = webUtils.getPathForFile(file as File);
    const result: Result<{ path: string }> = path
      ? { ok: true, value: { path } }
      : { ok: false, error: { code: 'invalid_input', message: `${file.name} has no path on disk (was it dragged from another app?)` } };
    return Promise.resolve(result);
  },
  subscribe(event, listener) {
    if (!knownEvents.has(event)) throw new Error(`Unknown event "${event}"`);
    let set = listeners.get(event);
    if (!set) {
      listeners.set(event, (set = new Set()));
      ipcRenderer.send(IPC_SUBSCRIBE, event);
    }
    set.add(listener);
    return () => set.delete(listener);
  },
};

contextBridge.exposeInMainWorld('quell', bridge);
