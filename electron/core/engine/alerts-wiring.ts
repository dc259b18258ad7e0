import { AlertService } from '../alerts';
import { buildStatus } from '../api/status';
import type { ApiEvent } from '../contract/contract';
import type { Logger } from '../logging/logger';
import { systemClock, type SchedulerClock } from '../schedule';
import type { SecretStore } from '../secrets';
import type { Store } from '../store/store';
import type { SmsServices } from './sms-services';

/**
 * The alerts of a service-mode engine (docs/alerts.md): a pass after every status or settings change
 * and every few minutes. Returns what the session calls on each event and when it stops.
 */
export function startAlerts(deps: {
  store: Store;
  secrets: SecretStore;
  logger: Logger;
  clock?: SchedulerClock;
  sms: SmsServices;
}): { onEvent(event: ApiEvent): void; close(): Promise<void> } {
  const clock = deps.clock ?? systemClock;
  const service = new AlertService({
    store: deps.store,
    secrets: deps.secrets,
    logger: deps.logger,
    clock,
    status: () => buildStatus(deps.store, deps.sms.status(), clock.now()),
  });
  service.notify();
  return {
    onEvent(event) {
      if (event === 'status:changed' || event === 'settings:changed') service.notify();
    },
    close: () => service.close(),
  };
}
