/**
 * Results (the `results` part, LMS → SMS, "download").
 *
 * 1. `downloadResults(adapter, store, connectionId)` — reads the gradebook of every Open course,
 *    matches each LMS user to an SMS person (person link, else idnumber = SMS id), computes and stores
 *    the result. Returns `{ counts, errors, notes }`: counts are the run's counts; errors are per-course
 *    failures shaped as run errors; notes say why results are missing (no Open course, enrolments
 *    not started yet) for the run message. Throws the LmsError when the connection itself fails
 *    (CONNECTION_ERROR_KINDS), which ends the run.
 * 2. `deliverResults(store, connectionId, write)` — the results that changed since the last
 *    delivery, as `SmsResultRecord`s, handed to `write` (the writer of
 *    `resultsDestinationFor`), then marked delivered. Or do the
 *    two steps yourself with `resultsToDeliver` and `markDelivered`.
 *    `resultsDestinationFor(sms, lmsConnectionId, dataDir, settings)` (results-destination.ts) picks the
 *    writer: the one the SMS adapter's descriptor brings, else results.csv in the data folder, saying why.
 * 3. `computeCourseResult(userGrades, { hiddenTotals })` — the pure rule: progress % = graded visible
 *    activities ÷ visible activities; activities are `mod` items only (not totals, not manual items);
 *    the course total only as released (no hidden mark in it, or recomputed without: HiddenTotals).
 */
export {
  computeCourseResult,
  isActivity,
  type ActivityResult,
  type CourseResult,
  type HiddenTotals,
  type ResultOptions,
} from './compute-course-result';
export { PersonMatcher, type PersonMatch, type PersonMatchRule } from './person-matcher';
export {
  downloadResults,
  CONNECTION_ERROR_KINDS,
  type CourseDownloadError,
  type DownloadCounts,
  type DownloadOptions,
  type DownloadSummary,
} from './download-results';
export {
  resultsToDeliver,
  markDelivered,
  deliverResults,
  type DeliveryOptions,
  type ResultDelivery,
  type UnmappedCourse,
} from './deliver-results';
export {
  resultsDestinationFor,
  ResultsDestinationError,
  type ResultsDestination,
  type ResultsWriteReport,
} from './results-destination';
export { deliverReviewedResults, waitingSentence, type ResultConflict, type ReviewedDeliverySummary } from './review';
