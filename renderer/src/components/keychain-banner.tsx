import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import { HEALTH_LABELS } from '../format/labels';
import { EngineText } from './engine-text';

/**
 * Shown on every page while the OS keychain cannot be reached (a headless Linux host with no Secret
 * Service): ClassBridge keeps tokens nowhere else, so the wizard's Save would fail on the first one.
 * Said at start, with the engine's own fix, rather than as a failed Save later.
 */
export function KeychainBanner() {
  const api = useApi();
  const check = useQuery({
    queryKey: ['secrets', 'keychain'],
    queryFn: () => api.call('secrets:keychain', {}),
    // A fixed keychain (the admin started the keyring) is noticed without a reload.
    refetchInterval: (query) => (query.state.data?.available === false ? 30_000 : false),
  });
  if (check.data?.available !== false) return null;
  return (
    <section className="notice notice-problem banner" aria-labelledby="keychain-heading" data-testid="keychain-missing">
      <div className="banner-body">
        <h2 id="keychain-heading">
          <span className="notice-icon" aria-hidden="true">
            {HEALTH_LABELS.problem.icon}
          </span>
          ClassBridge cannot reach this computer&apos;s keychain
        </h2>
        <p>
          Until it can, ClassBridge cannot save an LMS token or an SMS secret, so setting up a connection will fail.
        </p>
        <div className="banner-fix">
          <h3>What to do</h3>
          <p>
            <EngineText text={check.data.message} />
          </p>
        </div>
      </div>
    </section>
  );
}
