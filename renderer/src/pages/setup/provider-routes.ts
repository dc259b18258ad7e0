import { VET_API_CAPABILITIES } from '../../../../adapters/sms/vet-apis/capabilities';
import { SMS_PROVIDER_INFO, type SmsProvider } from '../../../../electron/core/model';
import type { SmsMode } from './draft';

/** One way a provider can get its data to ClassBridge, and whether it works today. */
export interface ProviderRoute {
  mode: SmsMode;
  label: string;
  available: boolean;
  /** Why it is not available yet, in words for the admin. */
  unavailableReason?: string;
  /** What the path field expects, for file routes. */
  source?: { label: string; hint: string; kind: 'folder' | 'file' | 'folder-or-file' };
}

const AVETMISS_FOLDER: ProviderRoute['source'] = {
  label: 'Export folder',
  hint: 'The folder the AVETMISS NAT export is saved into (the NAT files or their zip).',
  kind: 'folder',
};

/**
 * How each SMS connects, from the provider table (electron/core/model/providers.ts) and the VET API
 * capability flags (adapters/sms/vet-apis): routes with no working adapter are listed as "not available
 * yet" so the admin sees the option exists but is not offered a form that would do nothing.
 */
export function routesFor(provider: SmsProvider): ProviderRoute[] {
  const info = SMS_PROVIDER_INFO[provider];
  const routes: ProviderRoute[] = [];
  switch (info.adapter) {
    case 'avetmiss':
      routes.push({ mode: 'file', label: 'AVETMISS export folder', available: true, source: AVETMISS_FOLDER });
      break;
    case 'oneroster':
      routes.push({
        mode: 'file',
        label: 'OneRoster export (zip or folder)',
        available: true,
        source: {
          label: 'OneRoster export',
          hint: 'A OneRoster 1.1 or 1.2 CSV bulk export: the zip file, or the folder with manifest.csv.',
          kind: 'folder-or-file',
        },
      });
      break;
    case 'kamar':
      routes.push({ mode: 'push', label: 'KAMAR sends to ClassBridge (Directory Services)', available: true });
      break;
    case 'csv':
      if (info.route === 'push') {
        routes.push({
          mode: 'push',
          label: `Exports uploaded to ClassBridge's receiver`,
          available: true,
        });
      } else {
        routes.push({
          mode: 'file',
          label: 'CSV file',
          available: true,
          source: {
            label: 'CSV file',
            hint: 'One combined CSV file with students, classes and enrolments; ClassBridge recognises the columns from its header row.',
            kind: 'file',
          },
        });
      }
      break;
  }
  if (provider in VET_API_CAPABILITIES) {
    const capabilities = VET_API_CAPABILITIES[provider as keyof typeof VET_API_CAPABILITIES];
    routes.push({
      mode: 'api',
      label: `${info.label} API`,
      available: capabilities.built,
      unavailableReason: `ClassBridge cannot call the ${info.label} API yet; use the AVETMISS export folder meanwhile.`,
    });
  }
  if (!info.directLink) {
    routes.push({
      mode: 'api',
      label: `Direct connection to ${info.label}`,
      available: false,
      unavailableReason: `${info.label} has no public interface ClassBridge can connect to yet.`,
    });
  }
  return routes;
}

/** AVETMISS NAT files hold no usernames (NAT00080 has names, ids and email addresses only). */
export function hasUsernames(provider: SmsProvider): boolean {
  return SMS_PROVIDER_INFO[provider].adapter !== 'avetmiss';
}

export function defaultMode(provider: SmsProvider): SmsMode {
  return routesFor(provider).find((r) => r.available)?.mode ?? 'file';
}

/** Where results go when auto-export is on, and whether that overwrites what the SMS already holds. */
export function exportEffect(provider: SmsProvider): { where: string; overwrites: string | null } {
  const info = SMS_PROVIDER_INFO[provider];
  if (!info.directLink) {
    return {
      where: `results.csv, for someone to import into ${info.label} by hand (${info.label} has no interface ClassBridge can send results to).`,
      overwrites: null,
    };
  }
  switch (info.adapter) {
    case 'avetmiss':
      return {
        where: `${info.label}'s NAT00120.txt, rewritten with outcome identifiers from the LMS results, for ${info.label} to import.`,
        overwrites: `Importing it into ${info.label} replaces the outcome already recorded for each of those enrolments (including outcomes entered by hand).`,
      };
    case 'oneroster':
      return {
        where: 'OneRoster lineItems.csv and results.csv, for the SIS to import.',
        overwrites:
          'Importing them into the SIS replaces the scores already held for those line items (including scores entered by hand).',
      };
    case 'csv':
      return {
        where: 'results.csv, for the SMS to import.',
        overwrites:
          'Importing it into the SMS replaces the values already held for those students and courses (for example end-of-year judgements).',
      };
    case 'kamar':
      return {
        where: 'results.csv, to import by hand: KAMAR does not take results back from ClassBridge.',
        overwrites: null,
      };
  }
}
