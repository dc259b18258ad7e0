import { useState } from 'react';
import { AlertsSettings } from '../settings/alerts-settings';

/**
 * The wizard's last step offers alerts (docs/alerts.md): a school's sync is most often found broken
 * weeks later because nobody was at this computer. Email here; webhooks, quiet hours and the digest
 * in Settings → Alerts. Saved on its own (the wizard's Save keeps it).
 */
export function AlertsOffer() {
  const [open, setOpen] = useState(false);
  return (
    <section className="panel" aria-labelledby="review-alerts-heading">
      <h3 id="review-alerts-heading">Alerts</h3>
      {open ? (
        <AlertsSettings compact />
      ) : (
        <p>
          Tell someone by email when a sync breaks, uploads wait for approval or the SMS stops sending.{' '}
          <button type="button" className="setup-link-button" onClick={() => setOpen(true)}>
            Set up alerts
          </button>{' '}
          <span className="muted">(optional; webhooks, quiet hours and the digest are in Settings → Alerts)</span>
        </p>
      )}
    </section>
  );
}
