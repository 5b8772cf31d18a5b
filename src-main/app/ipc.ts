/**
 * The IPC transport: one invoke channel into `engine.callRaw`, one event channel out. The sender
 * check and the size cap live here; validating the input is the engine's job (one place for every
 * transport).
 */
import { pathToFileURL } from 'node:url';
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { CallContext, EngineApi } from '../engine/api/engine-api';
import { fail, MAX_MESSAGE_BYTES, type Result } from '../engine/api/errors';
import { IPC_EVENTS, IPC_INVOKE } from '../engine/api/transport';
import { createEventBatcher } from '../headless/event-batcher';

const CTX: CallContext = { actor: 'user', transport: 'ipc' };

export interface RendererLocation {
  /** Absolute path of the built renderer's index.html (production). */
  readonly indexFile: string;
  /** The electron-vite dev server URL, when running `npm run dev`. */
  readonly devServerUrl?: string;
}

/** Is this URL our renderer: the bundled index.html, or the dev server's origin? */
export function isOwnRendererUrl(url: string, where: RendererLocation): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'file:') {
    const got = `file://${u.host}${u.pathname}`;
    const want = pathToFileURL(where.indexFile).href;
    // Windows paths are case-insensitive and Chromium may report the drive letter in either case.
    return process.platform === 'win32' ? got.toLowerCase() === want.toLowerCase() : got === want;
  }
  if (!where.devServerUrl) return false;
  try {
    return u.origin === new URL(where.devServerUrl).origin;
  } catch {
    return false;
  }
}

/**
 * Only the main frame of our own window, showing our own page, may call the engine. A subframe,
 * another window or a page that somehow navigated elsewhere is refused.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, win: BrowserWindow | undefined, where: RendererLocation): boolean {
  if (!win || win.isDestroyed()) return false;
  if (event.sender !== win.webContents) return false;
  const frame = event.senderFrame;
  const main = win.webContents.mainFrame;
  if (!frame || frame.parent !== null) return false;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isOwnRendererUrl(frame.url, where);
}

export interface IpcBinding {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  readonly engine: EngineApi;
  readonly getWindow: () => BrowserWindow | undefined;
  readonly renderer: RendererLocation;
}

export async function handleInvoke(binding: IpcBinding, event: IpcMainInvokeEvent, command: unknown, input: unknown): Promise<Result<unknown>> {
  if (!isTrustedSender(event, binding.getWindow(), binding.renderer)) {
    return fail('forbidden', 'This page is not allowed to call the Tradeport engine.');
  }
  let bytes: number;
  try {
    bytes = Buffer.byteLength(JSON.stringify({ command, input }) ?? '', 'utf8');
  } catch {
    return fail('invalid_input', 'The command input must be plain JSON data.');
  }
  if (bytes > MAX_MESSAGE_BYTES) {
    return fail('message_too_large', `Message is ${bytes} bytes; the limit is ${MAX_MESSAGE_BYTES} bytes.`);
  }
  if (typeof command !== 'string') return fail('invalid_input', 'The command name must be a string.');
  try {
    return await binding.engine.callRaw(command, input, CTX);
  } catch {
    return fail('internal', 'The engine failed to handle this command.');
  }
}

export function bindIpc(binding: IpcBinding): () => void {
  binding.ipcMain.handle(IPC_INVOKE, (event, command: unknown, input: unknown) => handleInvoke(binding, event, command, input));
  return () => binding.ipcMain.removeHandler(IPC_INVOKE);
}

/** Engine events → the window, at most one batch per frame, quotes conflated per instrument. */
export function forwardEvents(engine: EngineApi, wc: Pick<WebContents, 'send' | 'isDestroyed'>, intervalMs = 16): () => void {
  const batcher = createEventBatcher({
    intervalMs,
    send: (events) => {
      if (!wc.isDestroyed()) wc.send(IPC_EVENTS, events);
    },
  });
  const unsubscribe = engine.subscribe((e) => batcher.push(e));
  return () => {
    unsubscribe();
    batcher.close();
  };
}
