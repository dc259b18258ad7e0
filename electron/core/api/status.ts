import { PARTS, SMS_PROVIDER_INFO, type Run } from '../model';
import type { Store } from '../store/store';
import type { Health, Status } from './contract';

/** Health from the last run alone. The sync engine adds thresholds and diagnoses on top. */
export function healthOf(lastRun: Run | undefined): Health {
  if (!lastRun) return 'never-run';
  switch (lastRun.outcome) {
    case 'running':
      return 'running';
    case 'ok':
      return 'ok';
    case 'partial':
    case 'held':
      return 'warning';
    case 'failed':
      return 'problem';
  }
}

export function buildStatus(store: Store, receiver: Status['receiver'] = null): Status {
  const settings = store.settings.get();
  const connections = store.connections.list();
  const sms = connections.find((c) => c.kind === 'sms');
  const lms = connections.filter((c) => c.kind === 'lms');
  return {
    setUp: lms.length > 0 && (!settings.useSms || sms !== undefined),
    paused: settings.paused,
    useSms: settings.useSms,
    sms: sms
      ? { id: sms.id, name: sms.name, provider: sms.provider, providerLabel: SMS_PROVIDER_INFO[sms.provider].label }
      : null,
    lms: lms.map((c) => ({
      id: c.id,
      name: c.name,
      provider: c.provider,
      url: c.url,
      parts: PARTS.map((part) => {
        const lastRun = store.runs.last(c.id, part);
        return { part, health: healthOf(lastRun), lastRun: lastRun ?? null };
      }),
    })),
    receiver,
    openErrors: store.runs.countOpenErrors(),
    courses: store.lmsCourses.countByState(),
    snapshot: store.snapshot.meta() ?? null,
  };
}
