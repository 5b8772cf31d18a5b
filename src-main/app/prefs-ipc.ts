/**
 * The window's notification switches → the shell's OS notifications. One invoke channel
 * (IPC_PREFS), the same sender check as the engine channel, and the payload validated here: only
 * known kinds, a boolean sound, nothing else. The answer is a Result, like every engine call.
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { fail, ok, type Result } from '../engine/api/errors';
import { NOTABLE_KINDS, type NotableKind } from '../engine/api/notable-events';
import { IPC_PREFS, type ShellNotificationPrefs } from '../engine/api/transport';
import { isTrustedSender, type RendererLocation } from './ipc';

const KindSchema = z.enum(NOTABLE_KINDS as [NotableKind, ...NotableKind[]]);

export const ShellNotificationPrefsSchema = z
  .object({
    off: z.array(KindSchema).max(NOTABLE_KINDS.length * 2),
    sound: z.boolean(),
  })
  .strict();

export interface PrefsIpcBinding {
  readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  readonly getWindow: () => BrowserWindow | undefined;
  readonly renderer: RendererLocation;
  /** Stores the switches (electron-store); the notifier reads them at each event. */
  save(prefs: ShellNotificationPrefs): void;
}

export function handleNotificationPrefs(binding: PrefsIpcBinding, event: IpcMainInvokeEvent, input: unknown): Result<null> {
  if (!isTrustedSender(event, binding.getWindow(), binding.renderer)) return fail('forbidden', 'This page is not allowed to change Tradeport notifications.');
  const parsed = ShellNotificationPrefsSchema.safeParse(input);
  if (!parsed.success) {
    const known = NOTABLE_KINDS.join(', ');
    return fail('invalid_input', `Notification settings must be {off: kinds from ${known}; sound: true or false}.`);
  }
  try {
    binding.save({ off: [...new Set(parsed.data.off)], sound: parsed.data.sound });
  } catch {
    return fail('internal', 'The notification settings could not be saved.');
  }
  return ok(null);
}

export function bindPrefsIpc(binding: PrefsIpcBinding): () => void {
  binding.ipcMain.handle(IPC_PREFS, (event, input: unknown) => handleNotificationPrefs(binding, event, input));
  return () => binding.ipcMain.removeHandler(IPC_PREFS);
}
