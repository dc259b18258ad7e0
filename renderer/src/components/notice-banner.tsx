import type { ReactNode } from 'react';
import { HEALTH_LABELS } from '../format/labels';

/**
 * A banner that says what is wrong and what to do: a heading with the tone's icon, the facts, and a
 * "What to do" part. One shape for every such banner on the dashboard and above every page.
 */
export function NoticeBanner({
  id,
  tone,
  heading,
  fix,
  testId,
  children,
}: {
  /** The heading's id, which names the region. */
  id: string;
  tone: 'problem' | 'warning';
  heading: ReactNode;
  /** The "What to do" part; absent when there is nothing the admin can do. */
  fix?: ReactNode;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <section className={`notice notice-${tone} banner`} aria-labelledby={id} data-testid={testId}>
      <div className="banner-body">
        <h2 id={id}>
          <span className="notice-icon" aria-hidden="true">
            {HEALTH_LABELS[tone].icon}
          </span>
          {heading}
        </h2>
        {children}
        {fix ? (
          <div className="banner-fix">
            <h3>What to do</h3>
            {fix}
          </div>
        ) : null}
      </div>
    </section>
  );
}
