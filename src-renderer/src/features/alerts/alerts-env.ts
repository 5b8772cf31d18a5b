/** The browser's side of alerts: storage (the desk preferences), timers, a short tone, and the Notification API (headless mode). */
import type { AlertsEnv } from './alerts-store';
import type { Toast } from './alerts-model';
import { deskStorage } from '../../store/desk-storage';

let audio: AudioContext | undefined;

function beep(): void {
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.08, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.18);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.2);
  } catch {
    // No audio device: the toast is still there.
  }
}

function desktop(t: Toast): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const n = new Notification(t.title, { body: t.body, tag: t.key, requireInteraction: t.urgent });
  n.onclick = () => window.focus();
}

/** `browserNotifications`: true in headless (bridge) mode; the desktop app's shell notifies instead. */
export function browserAlertsEnv(browserNotifications: boolean): AlertsEnv {
  return {
    storage: deskStorage,
    now: () => Date.now(),
    setTimer: (fn, ms) => window.setTimeout(fn, ms),
    clearTimer: (h) => window.clearTimeout(h as number),
    beep,
    ...(browserNotifications ? { desktop } : {}),
  };
}

/** Asks the browser for permission (on the trader's click); resolves whether notifications may show. */
export async function askNotificationPermission(): Promise<boolean> {
  if (typeof Notification === 'undefined') return false;
  if (Notification.permission === 'granted') return true;
  if (Notification.permission === 'denied') return false;
  return (await Notification.requestPermission()) === 'granted';
}
