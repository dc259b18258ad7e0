import type { ReactNode } from 'react';

export function LoadingState({ children }: { children: ReactNode }) {
  return (
    <p className="loading" role="status">
      {children}
    </p>
  );
}

/** Every failed query reads the same way, with a way to try again that works from the keyboard. */
export function EngineErrorState({ error, onRetry }: { error: Error; onRetry: () => void }) {
  return (
    <div className="notice notice-problem" role="alert">
      <p>
        <span className="notice-icon" aria-hidden="true">
          ✕
        </span>
        Can’t reach ClassBridge’s engine: {error.message}
      </p>
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

export function EmptyState({ heading, children }: { heading: string; children?: ReactNode }) {
  return (
    <section className="empty-state" aria-label={heading}>
      <h2>{heading}</h2>
      {children}
    </section>
  );
}
