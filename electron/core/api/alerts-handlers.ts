import { AlertStore, sendTestAlerts } from '../alerts';
import type { ApiEvent, ApiEventPayload, ApiOutput, ApiParsedInput } from '../contract/contract';
import { ApiError } from '../contract/errors';
import { ALERTS_SECRET_OWNER } from '../model';
import type { SecretStore } from '../secrets';
import type { Store } from '../store/store';

type Emit = <E extends ApiEvent>(event: E, payload: ApiEventPayload<E>) => void;

/** `alerts:test`, `alerts:setSecret`, `alerts:status` (docs/alerts.md); the settings are `settings:save`'s. */
export function alertsHandlers(store: Store, secrets: SecretStore, emit: Emit) {
  return {
    'alerts:test': async ({ kind }: ApiParsedInput<'alerts:test'>): Promise<ApiOutput<'alerts:test'>> => {
      const settings = store.settings.get().alerts;
      if (!settings.email && Object.keys(settings.webhooks).length === 0) {
        throw new ApiError({
          code: 'invalid-input',
          message:
            'No alert channel is set up: add an SMTP server and recipients, or a webhook URL, in Settings → Alerts (or settings.alerts in `classbridge config import`).',
        });
      }
      return { channels: await sendTestAlerts({ store, secrets }, kind) };
    },

    'alerts:setSecret': async ({ name, value }: ApiParsedInput<'alerts:setSecret'>) => {
      await secrets.set(ALERTS_SECRET_OWNER, name, value);
      emit('settings:changed', {});
      return { stored: true as const };
    },

    'alerts:updateReady': ({ version }: ApiParsedInput<'alerts:updateReady'>) => {
      new AlertStore(store.db).setUpdateReady(version);
      emit('status:changed', {});
      return { recorded: true as const };
    },

    'alerts:status': async (): Promise<ApiOutput<'alerts:status'>> => {
      const names = new Set(await secrets.listNames(ALERTS_SECRET_OWNER).catch(() => [] as string[]));
      const alerts = new AlertStore(store.db);
      return {
        enabled: store.settings.get().alerts.enabled,
        secrets: { smtpPassword: names.has('smtp-password'), webhookSecret: names.has('webhook-secret') },
        recent: alerts.recent(),
        waiting: alerts.outbox().length,
      };
    },
  };
}
