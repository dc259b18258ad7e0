import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import { EngineText } from './engine-text';
import { NoticeBanner } from './notice-banner';

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
    <NoticeBanner
      id="keychain-heading"
      tone="problem"
      testId="keychain-missing"
      heading="ClassBridge cannot reach this computer’s keychain"
      fix={
        <p>
          <EngineText text={check.data.message} />
        </p>
      }
    >
      <p>Until it can, ClassBridge cannot save an LMS token or an SMS secret, so setting up a connection will fail.</p>
    </NoticeBanner>
  );
}
