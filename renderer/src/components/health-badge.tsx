import type { Health } from '../../../electron/core/contract/contract';
import { HEALTH_LABELS } from '../format/labels';

export function HealthBadge({ health }: { health: Health }) {
  const { text, icon } = HEALTH_LABELS[health];
  return (
    <span className={`health-badge health-${health}`}>
      <span className="health-icon" aria-hidden="true">
        {icon}
      </span>
      {text}
    </span>
  );
}
