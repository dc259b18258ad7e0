/**
 * The alerts in service mode (the app's engine worker and `classbridge serve`): on every status
 * change (debounced) and every few minutes (a part turns *problem* with time alone, a source turns
 * late, the digest comes due, quiet hours end), decide what to tell with the one transition policy,
 * save the memory and the alerts in one transaction, then deliver outside it. Nothing here ever
 * blocks or fails a sync: a pass runs on its own timer, and every error is logged and kept in the
 * delivery log (Settings → Alerts), never thrown.
 */
import type { Status } from '../contract/contract';
import type { Logger } from '../logging/logger';
import type { AlertSettings } from '../model';
import type { SchedulerClock } from '../schedule';
import type { SecretStore } from '../secrets';
import type { Store } from '../store/store';
import type { AlertBody } from './alert-body';
import { AlertStore } from './alert-store';
import { composeDigest, composeTransition } from './compose';
import { deliver, hasChannel, type DeliveryDeps } from './delivery';
import { digestFromStore, nextDigestAt } from './digest';
import { isQuiet } from './quiet-hours';
import { decideTransitions } from './transitions';

export interface AlertServiceDeps {
  store: Store;
  secrets: SecretStore;
  logger: Logger;
  clock: SchedulerClock;
  /** The status as the dashboard sees it (api/status.ts), with the late source. */
  status(): Status;
  /** Tests: trust for a self-signed SMTP certificate, quicker webhook retries. */
  delivery?: Pick<DeliveryDeps, 'emailCa' | 'webhook' | 'email'>;
  /** How often a pass runs without a status change (5 minutes). */
  everyMs?: number;
  /** How long a status change waits for the next one (a run emits several). */
  debounceMs?: number;
}

export class AlertService {
  private readonly alerts: AlertStore;
  private debounce: unknown;
  private tick: unknown;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(private readonly deps: AlertServiceDeps) {
    this.alerts = new AlertStore(deps.store.db);
    this.scheduleTick();
  }

  /** The status changed: a pass soon, after the burst of changes a run makes. */
  notify(): void {
    if (this.closed) return;
    if (this.debounce !== undefined) this.deps.clock.clearTimeout(this.debounce);
    this.debounce = this.deps.clock.setTimeout(() => {
      this.debounce = undefined;
      void this.pass();
    }, this.deps.debounceMs ?? 2000);
  }

  /** One pass now (tests await it); a pass asked for while one runs runs once after it. */
  pass(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.once();
        } while (this.again && !this.closed);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.debounce !== undefined) this.deps.clock.clearTimeout(this.debounce);
    if (this.tick !== undefined) this.deps.clock.clearTimeout(this.tick);
    await this.running?.catch(() => undefined);
  }

  private scheduleTick(): void {
    if (this.closed) return;
    this.tick = this.deps.clock.setTimeout(
      () => {
        void this.pass().finally(() => this.scheduleTick());
      },
      this.deps.everyMs ?? 5 * 60_000,
    );
  }

  private async once(): Promise<void> {
    const { store, logger, clock } = this.deps;
    try {
      const settings = store.settings.get();
      const alerts = settings.alerts;
      if (!alerts.enabled) return;
      const now = clock.now();
      const version = this.alerts.updateReady();
      const status = this.deps.status();
      this.alerts.decide((memory) => {
        const decided = decideTransitions(memory, { status, ...(version ? { updateReady: { version } } : {}) });
        const bodies: AlertBody[] = decided.transitions
          .filter((t) => hasChannel(alerts, t.kind))
          .map((t) => composeTransition(t, { raisedAt: now }));
        const digest = this.digestDue(now, alerts, settings.timeZone);
        if (digest) {
          bodies.push(digest);
          this.alerts.setDigestSince(now.toISOString());
        }
        return { memory: decided.memory, bodies };
      });
      if (!isQuiet(now, alerts.quietHours, settings.timeZone)) await this.flush();
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'alerts: pass failed');
    }
  }

  /** The digest body when one is due; the first pass only starts the count. */
  private digestDue(now: Date, alerts: AlertSettings, timeZone: string): AlertBody | undefined {
    const since = this.alerts.digestSince();
    if (!since) {
      this.alerts.setDigestSince(now.toISOString());
      return undefined;
    }
    const every = alerts.digest.every;
    const due = nextDigestAt(new Date(since), alerts.digest, timeZone);
    if (every === 'off' || !due || now < due || !hasChannel(alerts, 'digest')) return undefined;
    return composeDigest(digestFromStore(this.deps.store, new Date(since), now), { raisedAt: now, every });
  }

  /** Delivers the outbox. An alert is tried once (webhooks retry within the try) and then leaves the outbox. */
  private async flush(): Promise<void> {
    const { store, secrets, logger, clock } = this.deps;
    if (this.alerts.outbox().length === 0) return;
    // Claimed before sending: a crash while sending loses these (at most once); the log shows what went.
    const entries = this.alerts.claim();
    if (entries.length === 0) return;
    const settings = store.settings.get().alerts;
    const delivered = await deliver(
      { settings, secrets, ...this.deps.delivery },
      entries.map((e) => e.body),
    );
    const at = clock.now().toISOString();
    entries.forEach((entry, i) => {
      const results = delivered[i]?.results ?? [];
      for (const r of results) {
        this.alerts.log({
          at,
          kind: entry.body.kind,
          channel: r.channel,
          target: r.target,
          ok: r.ok,
          error: r.error ?? null,
        });
        if (!r.ok)
          logger.warn(
            { kind: entry.body.kind, channel: r.channel, target: r.target, error: r.error },
            'alert not delivered',
          );
      }
    });
  }
}
