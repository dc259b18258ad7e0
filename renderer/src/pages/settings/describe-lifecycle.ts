import type { Lifecycle } from '../../../../electron/core/model';

/**
 * One line per LMS connection on the Settings page: its term lifecycle (mapping.lifecycle, set in the
 * configuration file; the wizard does not ask for it). Both rules off reads "Off".
 */
export function describeLifecycle(lifecycle: Lifecycle | undefined): string {
  const parts: string[] = [];
  if (lifecycle && lifecycle.endedCourses !== 'keep') {
    const after = lifecycle.closeAfterDays > 0 ? ` ${lifecycle.closeAfterDays} days after` : ' once';
    parts.push(
      lifecycle.endedCourses === 'close-and-hide'
        ? `Ended courses closed${after} their SMS end date passes, and hidden in the LMS where ClassBridge created them`
        : `Ended courses closed${after} their SMS end date passes`,
    );
  }
  const pause = lifecycle?.rolloverPause;
  const windows = pause?.windows ?? [];
  if (windows.length > 0)
    parts.push(`Removals held ${windows.map((w) => `from ${w.from} until ${w.until}`).join(', ')}`);
  if (pause?.betweenTerms)
    parts.push(
      `Removals held between terms (from the SMS course dates) until ${pause.betweenTerms.daysBeforeNext} days before the next`,
    );
  return parts.length > 0 ? `${parts.join('. ')}.` : 'Off';
}
