/**
 * `alerts:test` / `classbridge alerts test`: one alert of each kind (or the one asked for), marked
 * [TEST], on every channel that takes it, now — quiet hours or not — and per channel whether it
 * went or why not. Logged like any delivery, so Settings → Alerts shows the last answer.
 */
import { ALERT_KINDS, type AlertKind } from '../model';
import type { SecretStore } from '../secrets';
import type { Store } from '../store/store';
import { AlertStore } from './alert-store';
import { testBodies } from './compose';
import { byChannel, deliver, hasChannel, type ChannelResult, type DeliveryDeps } from './delivery';

export async function sendTestAlerts(
  deps: { store: Store; secrets: SecretStore; now?: Date } & Pick<DeliveryDeps, 'emailCa' | 'webhook'>,
  kind?: AlertKind,
): Promise<ChannelResult[]> {
  const settings = deps.store.settings.get().alerts;
  const now = deps.now ?? new Date();
  const kinds = (kind ? [kind] : [...ALERT_KINDS]).filter((k) => hasChannel(settings, k));
  const delivered = await deliver(
    {
      settings,
      secrets: deps.secrets,
      ...(deps.emailCa ? { emailCa: deps.emailCa } : {}),
      ...(deps.webhook ? { webhook: deps.webhook } : {}),
    },
    testBodies(now, kinds),
  );
  const log = new AlertStore(deps.store.db);
  for (const d of delivered)
    for (const r of d.results)
      log.log({
        at: now.toISOString(),
        kind: d.body.kind,
        channel: r.channel,
        target: r.target,
        ok: r.ok,
        error: r.error ?? null,
      });
  return byChannel(delivered);
}
