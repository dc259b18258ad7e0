/** Shows what notification-policy.ts (or close-behaviour.ts) decides as system notifications; a click opens the window. */
import { Notification } from 'electron';

export interface NotificationText {
  title: string;
  body: string;
  silent?: boolean;
}

// Held until closed: a notification collected by the garbage collector loses its click handler.
const open = new Set<Notification>();

export function showNotifications(notifications: readonly NotificationText[], onClick: () => void): void {
  if (!Notification.isSupported()) return;
  for (const n of notifications) {
    const notification = new Notification({ title: n.title, body: n.body, silent: n.silent ?? false });
    open.add(notification);
    notification.on('click', onClick);
    notification.on('close', () => open.delete(notification));
    notification.show();
  }
}
