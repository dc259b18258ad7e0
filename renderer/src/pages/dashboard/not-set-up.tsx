import { EmptyState } from '../../components/query-states';

export function NotSetUp() {
  return (
    <EmptyState heading="Not set up yet — start the setup wizard">
      <p>
        <a href="#/setup">Start the setup wizard</a>, or an IT person can load a configuration with{' '}
        <code>classbridge config import &lt;file&gt;</code> (see docs/configuration.md).
      </p>
    </EmptyState>
  );
}
