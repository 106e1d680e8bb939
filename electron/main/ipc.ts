import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import {
  EventName,
  IPC_EVENT,
  IPC_INVOKE,
  IPC_SUBSCRIBE,
  InvokeRequest,
  describeIssues,
  type Actor,
  type Result,
  type Router,
} from '../../core/index.js';
import { APP_ORIGIN } from './protocol.js';

/** Only our own top-level page may call the router: not a subframe, not a page that got navigated elsewhere. */
function trustedSender(frame: WebFrameMain | null): boolean {
  if (!frame || frame.parent !== null) return false;
  try {
    return new URL(frame.url).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}

export function registerIpc(router: Router, actor: Actor): void {
  ipcMain.handle(IPC_INVOKE, async (event: IpcMainInvokeEvent, command: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!trustedSender(event.senderFrame)) {
      return { ok: false, error: { code: 'forbidden', message: 'Refused a call from a page that is not Quell.' } };
    }
    const request = InvokeRequest.safeParse({ command, input });
    if (!request.success) {
      return { ok: false, error: { code: 'invalid_input', message: 'Malformed call.', issues: describeIssues(request.error) } };
    }
    return router.invoke(request.data.command, request.data.input, actor);
  });

  ipcMain.on(IPC_SUBSCRIBE, (event: IpcMainEvent, name: unknown) => {
    const parsed = EventName.safeParse(name);
    if (!trustedSender(event.senderFrame) || !parsed.success) return;
    const contents = event.sender;
    const off = router.subscribe(parsed.data, (payload) => {
      if (!contents.isDestroyed()) contents.send(IPC_EVENT, parsed.data, payload);
    });
    contents.once('destroyed', off);
  });
}
