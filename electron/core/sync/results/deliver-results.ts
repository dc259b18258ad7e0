import type { SmsResultRecord } from '../../../../adapters/contract';
import type { Result } from '../../model';
import type { Store } from '../../store/store';
import { coursesById } from '../course-tracking';

export interface DeliveryOptions {
  /** Which LMS course field holds the SMS course code: the connection's mapping.courseMatch (default idnumber). */
  courseMatch?: 'idnumber' | 'shortname';
}

/** Changed results of one course that cannot be delivered because no SMS course matches it. */
export interface UnmappedCourse {
  lmsCourseId: number;
  /** The course's name (Deleted courses included), or its id when it was never tracked. */
  course: string;
  results: number;
}

/** What to send to the SMS now; nothing is marked delivered until markDelivered is called. */
export interface ResultDelivery {
  records: SmsResultRecord[];
  /** The stored results behind `records`, same order: pass the delivery to markDelivered. */
  results: Result[];
  /** Left undelivered (and offered again next time) until their course can be matched. */
  unmapped: UnmappedCourse[];
}

/**
 * The results that changed since they were last delivered, as SMS records. The person is the SMS
 * id the result was stored under. The course's SMS id comes from, in order: a course link of this
 * connection (written by upload); an SMS course whose code equals the LMS course's idnumber (or
 * shortname, per `courseMatch`); an SMS course whose id equals it.
 *
 * `completed` means every visible activity has a grade (progress 100 %). `updatedAt` is when ClassBridge
 * saw the result change, which is the closest the store knows to the change in the LMS.
 */
export function resultsToDeliver(store: Store, connectionId: string, options: DeliveryOptions = {}): ResultDelivery {
  const pending = store.results.undelivered(connectionId);
  const courseSmsId = courseResolver(store, connectionId, options.courseMatch ?? 'idnumber');
  const courses = coursesById(store, connectionId);
  const delivery: ResultDelivery = { records: [], results: [], unmapped: [] };
  const unmapped = new Map<number, UnmappedCourse>();
  for (const result of pending) {
    const smsCourse = courseSmsId(result.lmsCourseId);
    if (smsCourse === undefined) {
      const entry = unmapped.get(result.lmsCourseId) ?? {
        lmsCourseId: result.lmsCourseId,
        course: courses.get(result.lmsCourseId)?.fullname ?? `LMS course ${result.lmsCourseId}`,
        results: 0,
      };
      entry.results += 1;
      unmapped.set(result.lmsCourseId, entry);
      continue;
    }
    delivery.results.push(result);
    delivery.records.push({
      personSmsId: result.personSmsId,
      courseSmsId: smsCourse,
      progressPercent: result.progressPercent,
      grade: result.grade,
      gradePercent: result.gradePercent,
      completed: result.progressPercent >= 100,
      updatedAt: result.updatedAt,
    });
  }
  delivery.unmapped = [...unmapped.values()];
  return delivery;
}

/**
 * Records that a delivery reached the SMS. Call it only after the writer succeeded: a result that
 * changed again in the meantime keeps its new content undelivered.
 */
export function markDelivered(store: Store, delivery: Pick<ResultDelivery, 'results'>): void {
  store.results.markDelivered(delivery.results);
}

/**
 * resultsToDeliver → write → markDelivered. When `write` throws, nothing is marked and the same
 * results are offered again next time.
 */
export async function deliverResults(
  store: Store,
  connectionId: string,
  write: (records: readonly SmsResultRecord[]) => Promise<unknown>,
  options: DeliveryOptions = {},
): Promise<{ delivered: number; unmapped: UnmappedCourse[] }> {
  const delivery = resultsToDeliver(store, connectionId, options);
  if (delivery.records.length > 0) {
    await write(delivery.records);
    markDelivered(store, delivery);
  }
  return { delivered: delivery.records.length, unmapped: delivery.unmapped };
}

function courseResolver(
  store: Store,
  connectionId: string,
  courseMatch: 'idnumber' | 'shortname',
): (lmsCourseId: number) => string | undefined {
  const linked = new Map([...store.links.all(connectionId, 'course')].map(([smsId, lmsId]) => [lmsId, smsId]));
  const smsCourses = store.snapshot.read().courses;
  const byCode = new Map(smsCourses.map((c) => [c.code, c.smsId]));
  const bySmsId = new Set(smsCourses.map((c) => c.smsId));
  const courses = coursesById(store, connectionId);
  return (lmsCourseId) => {
    const link = linked.get(String(lmsCourseId));
    if (link !== undefined) return link;
    const key = courses.get(lmsCourseId)?.[courseMatch].trim() ?? '';
    if (key === '') return undefined;
    return byCode.get(key) ?? (bySmsId.has(key) ? key : undefined);
  };
}
