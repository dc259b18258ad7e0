import { useSettings } from '../api/queries';
import type { SchoolClock } from './format-date-time';

/** The locale a school in this time zone reads: en-NZ and en-AU where we know the country. */
export function schoolLocale(timeZone: string, fallback = 'en-NZ'): string {
  if (/^(Pacific\/(Auckland|Chatham)|NZ(-CHAT)?)$/.test(timeZone)) return 'en-NZ';
  if (/^Australia\//.test(timeZone)) return 'en-AU';
  return fallback;
}

/**
 * The school's clock from its settings. Until the settings arrive (or if they cannot be read) the
 * reader's own zone is used, so a date is never missing.
 */
export function useSchoolClock(): SchoolClock {
  const settings = useSettings();
  const readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const timeZone = settings.data?.timeZone ?? readerZone;
  const readerLocale = typeof navigator === 'undefined' ? 'en-NZ' : navigator.language || 'en-NZ';
  return { timeZone, locale: schoolLocale(timeZone, readerLocale) };
}
