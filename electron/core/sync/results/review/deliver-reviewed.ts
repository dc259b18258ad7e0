import type { SmsRefusedResult, SmsResultRecord } from '../../../../../adapters/contract';
import type { ResultOutcomes } from '../../../../../adapters/descriptor';
import { DEFAULT_RESULTS_DELIVERY, type Result, type ResultReviewReason, type ResultsDelivery } from '../../../model';
import type { Store } from '../../../store/store';
import { contentHash } from '../../../store/repositories/results-repository';
import type { ResultRecordKey } from '../../../store/repositories/result-reviews-repository';
import { coursesById } from '../../course-tracking';
import { resultsToDeliver, type DeliveryOptions, type UnmappedCourse } from '../deliver-results';
import { proposeResult, type Proposal } from './proposal';

export interface ReviewedDeliveryOptions extends DeliveryOptions {
  /** The connection's `mapping.results`; absent: automatic delivery, review margin 0.5. */
  settings?: ResultsDelivery | undefined;
}

/** The writer and, when it decides outcomes, its rule (ResultsDestination's write and outcomes). */
export interface ReviewedWriter {
  write(records: readonly SmsResultRecord[]): Promise<unknown>;
  outcomes?: ResultOutcomes | undefined;
}

/** A record whose SMS value a person changed since ClassBridge delivered it: a run error, not a write. */
export interface ResultConflict {
  recordKind: 'result';
  /** `<LMS course id>:<SMS person id>`, the record on the Results page. */
  recordKey: string;
  course: string;
  message: string;
  fix: string;
}

export interface ReviewedDeliverySummary {
  delivered: number;
  unmapped: UnmappedCourse[];
  /** Records waiting for a person after this delivery (pending or held), by reason. */
  waiting: Record<ResultReviewReason, number>;
  /** Conflicts still open, one run error each. */
  conflicts: ResultConflict[];
  /** Conflicts the admin settled for the SMS's value, recorded as delivered without writing. */
  kept: number;
  /**
   * Results the writer refused for its row (AVETMISS: an activity not yet started, an invalid outcome
   * code): one run error each naming the person and unit; not marked delivered, so offered again.
   */
  refused: ResultConflict[];
}

interface Candidate {
  key: ResultRecordKey;
  result: Result;
  record: SmsResultRecord;
  proposal: Proposal;
  smsValue: string | null;
}

/**
 * Results delivery with the checks an RTO needs (docs/results.md), around resultsToDeliver → write →
 * mark delivered. For each changed result, in order:
 * 1. a review already decided for this very result applies: accepted is written, kept (a conflict
 *    settled for the SMS) is recorded as delivered without writing, pending and held wait;
 * 2. conflict: ClassBridge delivered this record before, and the SMS's outcome from the last import is
 *    neither what it delivered nor what the SMS had then — a person changed it — and the LMS would now
 *    write something else: not written, a run error names the person and course;
 * 3. margin: completed and within `reviewMargin` points of the pass mark (unrounded): queued;
 * 4. review: the connection delivers only after review: queued;
 * 5. otherwise written.
 * Only records the SMS reports an outcome for can conflict (the SMS must say what it holds). An
 * unchanged gradebook reaches none of this (its results are not undelivered), so it costs no write; a
 * result still waiting is read, not written again.
 */
export async function deliverReviewedResults(
  store: Store,
  connectionId: string,
  writer: ReviewedWriter,
  options: ReviewedDeliveryOptions = {},
): Promise<ReviewedDeliverySummary> {
  const settings = options.settings ?? DEFAULT_RESULTS_DELIVERY;
  const delivery = resultsToDeliver(store, connectionId, options);
  const reviews = store.resultReviews;
  const smsOutcome = smsOutcomeReader(store);
  const summary: ReviewedDeliverySummary = {
    delivered: 0,
    unmapped: delivery.unmapped,
    waiting: { review: 0, margin: 0, conflict: 0 },
    conflicts: [],
    kept: 0,
    refused: [],
  };
  const toWrite: Candidate[] = [];
  const toKeep: Candidate[] = [];
  const names = lazyNames(store, connectionId);

  delivery.results.forEach((result, i) => {
    const record: SmsResultRecord = { ...delivery.records[i]!, gradePercentExact: result.gradeExact ?? null };
    const key = { connectionId, lmsCourseId: result.lmsCourseId, personSmsId: result.personSmsId };
    const hash = contentHash(result);
    const smsValue = writer.outcomes ? smsOutcome(record.personSmsId, record.courseSmsId) : null;
    const proposal = proposeResult(record, writer.outcomes, settings.reviewMargin, smsValue);
    const candidate: Candidate = { key, result, record, proposal, smsValue };
    const existing = reviews.review(key);
    const stillApplies =
      existing !== undefined &&
      existing.contentHash === hash &&
      // Review turned off since: what waited only for review is decided afresh.
      !(existing.reason === 'review' && existing.state === 'pending' && settings.delivery !== 'review');
    if (existing && stillApplies) {
      if (existing.state === 'accepted') toWrite.push(candidate);
      else if (existing.state === 'kept') toKeep.push(candidate);
      else {
        summary.waiting[existing.reason] += 1;
        if (existing.reason === 'conflict' && existing.state === 'pending')
          summary.conflicts.push(conflictError(candidate, existing.deliveredValue, names));
      }
      return;
    }
    const last = writer.outcomes ? reviews.lastDelivery(key) : undefined;
    const conflict =
      last !== undefined &&
      smsValue !== null &&
      smsValue !== last.value &&
      smsValue !== last.smsValue &&
      proposal.newValue !== smsValue;
    const reason: ResultReviewReason | null = conflict
      ? 'conflict'
      : proposal.withinMargin
        ? 'margin'
        : settings.delivery === 'review'
          ? 'review'
          : null;
    if (reason === null) {
      toWrite.push(candidate);
      return;
    }
    reviews.queue({
      ...key,
      courseSmsId: record.courseSmsId,
      reason,
      contentHash: hash,
      smsValue,
      deliveredValue: last?.value ?? null,
      newValue: proposal.newValue,
      detail: proposal.detail,
    });
    summary.waiting[reason] += 1;
    if (reason === 'conflict') summary.conflicts.push(conflictError(candidate, last?.value ?? null, names));
  });

  if (toWrite.length > 0) {
    const report = await writer.write(toWrite.map((c) => c.record));
    const refused = refusedByRecord(report);
    if (refused.size > 0) {
      summary.refused = refusedErrors(toWrite, refused, names);
      toWrite.splice(0, toWrite.length, ...toWrite.filter((c) => !refused.has(recordId(c.record))));
    }
    store.db.transaction(() => {
      store.results.markDelivered(toWrite.map((c) => c.result));
      reviews.recordDelivered(
        toWrite.map((c) => ({
          ...c.key,
          courseSmsId: c.record.courseSmsId,
          value: c.proposal.newValue,
          smsValue: c.smsValue,
        })),
      );
    })();
    summary.delivered = toWrite.length;
  }
  if (toKeep.length > 0) {
    // The SMS's value stands: what ClassBridge "delivered" is now the SMS's own, so only a later change
    // in the LMS offers the record again.
    store.db.transaction(() => {
      store.results.markDelivered(toKeep.map((c) => c.result));
      reviews.recordDelivered(
        toKeep.map((c) => ({ ...c.key, courseSmsId: c.record.courseSmsId, value: c.smsValue, smsValue: c.smsValue })),
      );
    })();
    summary.kept = toKeep.length;
  }
  return summary;
}

const recordId = (r: { personSmsId: string; courseSmsId: string }): string => `${r.personSmsId}\u0000${r.courseSmsId}`;

/** The writer's refusals (ResultsWriteReport.refused), by person × SMS course. */
function refusedByRecord(report: unknown): Map<string, SmsRefusedResult> {
  const list = (report as { refused?: unknown } | null | undefined)?.refused;
  return new Map(Array.isArray(list) ? (list as SmsRefusedResult[]).map((r) => [recordId(r), r]) : []);
}

function refusedErrors(
  written: readonly Candidate[],
  refused: ReadonlyMap<string, SmsRefusedResult>,
  names: ReturnType<typeof lazyNames>,
): ResultConflict[] {
  return written.flatMap((c) => {
    const r = refused.get(recordId(c.record));
    if (!r) return [];
    const course = names.course(c.key.lmsCourseId);
    return [
      {
        recordKind: 'result' as const,
        recordKey: `${c.key.lmsCourseId}:${c.key.personSmsId}`,
        course,
        message: `${names.person(c.key.personSmsId)} in ${course} (unit ${c.record.courseSmsId}): not written: ${r.reason}.`,
        fix: r.fix,
      },
    ];
  });
}

/** The SMS's outcome for a person in a course, from the last import (the snapshot's enrolment). */
function smsOutcomeReader(store: Store): (personSmsId: string, courseSmsId: string) => string | null {
  const statement = store.db.prepare(
    `SELECT outcome FROM enrolments WHERE person_sms_id = ? AND course_sms_id = ? AND outcome IS NOT NULL
     ORDER BY role = 'student' DESC LIMIT 1`,
  );
  return (person, course) => {
    const row = statement.get(person, course) as { outcome: string } | undefined;
    const outcome = row?.outcome.trim() ?? '';
    return outcome === '' ? null : outcome;
  };
}

/** Person and course names for conflict messages, read only when there is a conflict. */
function lazyNames(store: Store, connectionId: string) {
  let courses: Map<number, { fullname: string }> | undefined;
  const person = store.db.prepare("SELECT given_name || ' ' || family_name AS name FROM people WHERE sms_id = ?");
  return {
    course: (lmsCourseId: number): string =>
      (courses ??= coursesById(store, connectionId)).get(lmsCourseId)?.fullname ?? `LMS course ${lmsCourseId}`,
    person: (smsId: string): string => {
      const row = person.get(smsId) as { name: string } | undefined;
      return row ? `${row.name} (${smsId})` : smsId;
    },
  };
}

function conflictError(
  c: Candidate,
  deliveredValue: string | null,
  names: ReturnType<typeof lazyNames>,
): ResultConflict {
  const course = names.course(c.key.lmsCourseId);
  const who = names.person(c.key.personSmsId);
  return {
    recordKind: 'result',
    recordKey: `${c.key.lmsCourseId}:${c.key.personSmsId}`,
    course,
    message: `${who} in ${course} (${c.record.courseSmsId}): the SMS has outcome ${c.smsValue ?? '–'}, but ClassBridge last delivered ${deliveredValue ?? '–'}, so someone changed it in the SMS. The LMS result now gives ${c.proposal.newValue ?? '–'} (${c.proposal.detail.why}); it was not written.`,
    fix: `On the Results page, Accept the LMS value (${c.proposal.newValue ?? '–'}) to write it on the next delivery, or Keep the SMS's (${c.smsValue ?? '–'}); until then the SMS keeps its value.`,
  };
}
