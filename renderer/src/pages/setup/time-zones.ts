import type { SmsProvider } from '../../../../electron/core/model';

/** Where each SMS is used: New Zealand's school systems, Australia's AVETMISS (VET) systems. */
const NEW_ZEALAND = ['Pacific/Auckland', 'Pacific/Chatham'];
const AUSTRALIA = [
  'Australia/Sydney',
  'Australia/Melbourne',
  'Australia/Brisbane',
  'Australia/Adelaide',
  'Australia/Perth',
  'Australia/Hobart',
  'Australia/Darwin',
];
const REGION_OF: Partial<Record<SmsProvider, readonly string[]>> = {
  kamar: NEW_ZEALAND,
  'musac-edge': NEW_ZEALAND,
  etap: NEW_ZEALAND,
  assembly: NEW_ZEALAND,
  vettrak: AUSTRALIA,
  jobready: AUSTRALIA,
  powerpro: AUSTRALIA,
  paradigm: AUSTRALIA,
};

/** Every zone this runtime knows (IANA names), or none where Intl cannot list them. */
export function allTimeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

/**
 * The school's likely zones first: the one chosen now, this computer's, the SMS's country, then New
 * Zealand and Australia (the schools ClassBridge is made for); the rest after, in alphabetical order.
 * Only names the runtime knows are offered, plus the chosen one (a saved zone stays choosable).
 */
export function orderTimeZones(
  all: readonly string[],
  context: { current: string; computer: string | undefined; provider: SmsProvider | undefined },
): { likely: string[]; rest: string[] } {
  const known = new Set(all);
  const likely: string[] = [];
  const add = (zone: string | undefined) => {
    if (zone && !likely.includes(zone) && (known.has(zone) || zone === context.current)) likely.push(zone);
  };
  add(context.current.trim() || undefined);
  add(context.computer);
  for (const zone of (context.provider && REGION_OF[context.provider]) || []) add(zone);
  for (const zone of [...NEW_ZEALAND, ...AUSTRALIA]) add(zone);
  const rest = all.filter((zone) => !likely.includes(zone)).sort((a, b) => a.localeCompare(b));
  return { likely, rest };
}

/** "Auckland (Pacific/Auckland)": the city first, as people look for it. */
export function timeZoneLabel(zone: string): string {
  const city = zone.split('/').pop()!.replace(/_/g, ' ');
  return city === zone ? zone : `${city} (${zone})`;
}

/** Zones whose name or city contains every word typed, case and spaces ignored. */
export function matchesSearch(zone: string, search: string): boolean {
  const haystack = zone.toLowerCase().replace(/_/g, ' ');
  return search
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}
