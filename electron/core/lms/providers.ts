import { lmsProviderSetups } from '../../../adapters/lms/registry';
import type { LmsProviderSetup } from '../model';

/** The LMS half of `providers:list`: the providers each LMS adapter descriptor serves. */
export function lmsProviderList(): LmsProviderSetup[] {
  return lmsProviderSetups();
}
