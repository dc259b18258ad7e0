import {
  SMS_PROVIDER_INFO,
  SMS_PROVIDERS,
  type SmsConnection,
  type SmsProvider,
  type SmsProviderSetup,
} from '../../electron/core/model';
import type { SmsAdapterDescriptor, SmsDetectInput, SmsProviderRow } from '../descriptor';
import { avetmissDescriptor } from './avetmiss/descriptor';
import { csvDescriptor } from './csv/descriptor';
import { kamarDescriptor } from './kamar/descriptor';
import { oneRosterDescriptor } from './oneroster/descriptor';
import { parseSmsOptions } from './options';
import { vetApisDescriptor } from './vet-apis/descriptor';

/**
 * Every SMS adapter, once. The order is the order an unknown export is recognised in (a saved KAMAR
 * push is JSON; manifest.csv means OneRoster even beside other CSV files; NAT files before plain CSV)
 * and, for API adapters serving the same provider, the first built one wins.
 *
 * Adding an adapter: its folder with a descriptor.ts, and one line here. Provider rows (which SMS
 * products exist, and which format adapter reads each) are the model's SMS_PROVIDER_INFO, because the
 * renderer names providers too; an API adapter names its own providers.
 *
 * The registry is in adapters/ rather than in the engine so that adding an adapter touches adapters/
 * only: the engine's factories, the export watch, the receiver, results delivery, the CLI and the
 * Api's `providers:list` all read it.
 */
const SMS_ADAPTERS: readonly AnySmsAdapterDescriptor[] = [
  kamarDescriptor,
  oneRosterDescriptor,
  avetmissDescriptor,
  csvDescriptor,
  vetApisDescriptor,
];

/**
 * A descriptor seen from the engine, whose options type it does not know: options go in only through
 * the descriptor's own schema (smsOptionsOf), so each adapter still reads its options typed.
 */
export type AnySmsAdapterDescriptor = SmsAdapterDescriptor<unknown>;

const byId = new Map<string, AnySmsAdapterDescriptor>(SMS_ADAPTERS.map((d) => [d.id, d]));

/** Adapter ids, for `--provider` and messages: the format readers (those detection can pick). */
export const SMS_FORMATS: readonly string[] = SMS_ADAPTERS.filter((d) => d.detect).map((d) => d.id);

export function smsAdapterDescriptor(id: string): AnySmsAdapterDescriptor {
  const descriptor = byId.get(id);
  if (!descriptor) throw new Error(`No SMS adapter "${id}" (adapters/sms/registry.ts)`);
  return descriptor;
}

export function isSmsFormat(id: string): boolean {
  return SMS_FORMATS.includes(id);
}

export function smsProviderRow(provider: SmsProvider): SmsProviderRow {
  return { id: provider, ...SMS_PROVIDER_INFO[provider] };
}

/** The adapter that reads a provider's data on the route it uses today. */
export function smsAdapterOf(provider: SmsProvider): AnySmsAdapterDescriptor {
  return smsAdapterDescriptor(SMS_PROVIDER_INFO[provider].adapter);
}

/** Recognises an export from its names: the first adapter (in registry order) that claims it. */
export function detectSmsFormat(input: SmsDetectInput): AnySmsAdapterDescriptor | undefined {
  return SMS_ADAPTERS.find((d) => d.detect?.(input));
}

/** The connection's options as its adapter types them (see parseSmsOptions for a value that fails). */
export function smsOptionsOf(descriptor: AnySmsAdapterDescriptor, connection: SmsConnection | undefined): unknown {
  return parseSmsOptions(descriptor.optionsSchema, connection?.options ?? {}, descriptor.displayName);
}

/**
 * Where a connection crosses a boundary (connections:save, config import): its options checked by
 * its adapter's schema. Returns the wrong field ("options.courseFrom") and the message, else undefined.
 */
export function smsConnectionProblem(connection: SmsConnection): { field: string; message: string } | undefined {
  const descriptor = smsAdapterOf(connection.provider);
  const parsed = descriptor.optionsSchema.safeParse(connection.options);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const field = path ? `options.${path}` : 'options';
  const label = SMS_PROVIDER_INFO[connection.provider].label;
  const message =
    issue?.code === 'unrecognized_keys'
      ? `${label} connections have no option ${issue.keys.map((k) => `"${k}"`).join(', ')} (${descriptor.displayName}).`
      : `The ${label} connection's option "${path}" is not valid: ${issue?.message ?? ''}`;
  return { field: issue?.code === 'unrecognized_keys' ? 'options' : field, message };
}

/** What the wizard shows for every provider: its row joined with its adapters' descriptors. */
export function smsProviderSetups(): SmsProviderSetup[] {
  return SMS_PROVIDERS.map((provider) => {
    const row = smsProviderRow(provider);
    const adapter = smsAdapterOf(provider);
    const part = adapter.wizard(row);
    const routes = [...part.routes];
    // Routes served by adapters of this vendor's API: the first built, else the first planned.
    const api = SMS_ADAPTERS.filter((d) => d.providers?.includes(provider)).sort(
      (a, b) => Number(b.built) - Number(a.built),
    )[0];
    if (api) routes.push(...api.wizard(row).routes);
    if (!row.directLink) {
      routes.push({
        mode: 'api',
        label: `Direct connection to ${row.label}`,
        available: false,
        unavailableReason: `${row.label} has no public interface ClassBridge can connect to yet.`,
      });
    }
    return {
      id: provider,
      label: row.label,
      route: row.route,
      directLink: row.directLink,
      adapter: adapter.id,
      adapterName: adapter.displayName,
      exportName: adapter.shortName,
      routes,
      // The route the provider uses today, where it works (the setup draft of a saved connection assumes it).
      defaultMode:
        routes.find((r) => r.available && r.mode === row.route)?.mode ??
        routes.find((r) => r.available)?.mode ??
        'file',
      hasUsernames: part.hasUsernames,
      asksOutcomeRule: part.asksOutcomeRule,
      results: row.directLink
        ? part.results
        : {
            where: `results.csv, for someone to import into ${row.label} by hand (${row.label} has no interface ClassBridge can send results to).`,
            overwrites: null,
          },
      takesResults: row.directLink && adapter.resultsWriter !== undefined,
      setupSteps: part.setupSteps,
    };
  });
}
