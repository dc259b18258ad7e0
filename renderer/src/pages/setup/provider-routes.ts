import type {
  ProviderList,
  ProviderRoute,
  SmsMode,
  SmsProvider,
  SmsProviderSetup,
} from '../../../../electron/core/model';

export type { ProviderList, ProviderRoute };

/**
 * What the wizard knows of a provider comes from the engine's `providers:list` (the adapter
 * descriptors' serialisable part, adapters/sms/registry.ts), never from provider names here: routes
 * with no working adapter are listed as "not available yet" so the admin sees the option exists but
 * is not offered a form that would do nothing.
 */
export function smsSetupOf(providers: ProviderList, provider: SmsProvider): SmsProviderSetup {
  const setup = providers.sms.find((p) => p.id === provider);
  // The model's provider ids and the engine's list are the same set; a gap is a build mismatch.
  if (!setup) throw new Error(`The engine does not describe SMS provider "${provider}".`);
  return setup;
}

export function routesFor(providers: ProviderList, provider: SmsProvider): ProviderRoute[] {
  return smsSetupOf(providers, provider).routes;
}

/** AVETMISS NAT files hold no usernames (NAT00080 has names, ids and email addresses only). */
export function hasUsernames(providers: ProviderList, provider: SmsProvider): boolean {
  return smsSetupOf(providers, provider).hasUsernames;
}

export function defaultMode(providers: ProviderList, provider: SmsProvider): SmsMode {
  return smsSetupOf(providers, provider).defaultMode;
}

/** Where results go when auto-export is on, and whether that overwrites what the SMS already holds. */
export function exportEffect(
  providers: ProviderList,
  provider: SmsProvider,
): { where: string; overwrites: string | null } {
  return smsSetupOf(providers, provider).results;
}
