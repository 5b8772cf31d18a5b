/**
 * OS notifications for the events a trader must not miss (api/notable-events.ts decides which and
 * in what words). Each kind can be switched off in the UI preferences; clicking one shows the window.
 */
import type { Notification as NotificationT, NotificationConstructorOptions } from 'electron';
import type { EngineApi } from '../engine/api/engine-api';
import { NotableEvents, type Notable, type NotableKind } from '../engine/api/notable-events';

export interface NotifierDeps {
  readonly Notification: { new (options: NotificationConstructorOptions): NotificationT; isSupported(): boolean };
  readonly engine: EngineApi;
  /** Per-kind switch (default on) and sound, read at each event so a change applies at once. */
  enabled(kind: NotableKind): boolean;
  sound(): boolean;
  showWindow(): void;
}

export function startOsNotifications(deps: NotifierDeps): () => void {
  if (!deps.Notification.isSupported()) return () => undefined;
  const notable = new NotableEvents();
  const show = (n: Notable) => {
    const note = new deps.Notification({ title: n.title, body: n.body, silent: !deps.sound(), urgency: n.urgent ? 'critical' : 'normal' });
    note.on('click', () => deps.showWindow());
    note.show();
  };
  return deps.engine.subscribe((e) => {
    const n = notable.next(e);
    if (n && deps.enabled(n.kind)) show(n);
  });
}
