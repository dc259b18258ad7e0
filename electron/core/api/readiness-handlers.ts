import type { ApiOutput, ApiParsedInput } from '../contract/contract';
import type { Logger } from '../logging/logger';
import type { SecretStore } from '../secrets';
import type { Store } from '../store/store';
import { readinessFor } from '../sync/results-readiness';

/** `courses:readiness`: the Courses page's readiness line per Open course (sync/results/readiness). */
export function readinessHandlers(store: Store, secrets: SecretStore, logger?: Logger) {
  return {
    'courses:readiness': (input: ApiParsedInput<'courses:readiness'>): Promise<ApiOutput<'courses:readiness'>> =>
      readinessFor(store, secrets, logger, input.connectionId),
  };
}
