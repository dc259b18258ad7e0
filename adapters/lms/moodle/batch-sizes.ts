/**
 * How much ClassBridge puts into one Moodle request, and how much it keeps in flight: every batch,
 * chunk and page size of the Moodle adapter, and the upload's records per adapter call
 * (electron/core/sync/apply), in one place and derived from each other. The two limits that matter
 * are Moodle's: PHP reads at most `max_input_vars` form variables of a request and silently drops
 * the rest, and a site has a few PHP workers for web services.
 */

/** PHP's default max_input_vars, assumed until the connection says otherwise (`maxInputVars`). */
export const DEFAULT_MAX_INPUT_VARS = 1000;

/** What Moodle's installer asks for (and what the fixes tell an admin to set): batches are then never cut. */
export const RECOMMENDED_MAX_INPUT_VARS = 5000;

/**
 * The share of max_input_vars one request may fill: 80%, as the reference advises, leaving room for
 * wstoken, wsfunction and moodlewsrestformat besides the records.
 */
export const VAR_BUDGET_SHARE = 0.8;

/** Form variables one request may carry on a site with this max_input_vars. */
export function varBudget(maxInputVars: number = DEFAULT_MAX_INPUT_VARS): number {
  return Math.floor(maxInputVars * VAR_BUDGET_SHARE);
}

/**
 * After a request came back cut (fewer answers than records: the site's max_input_vars is lower than
 * assumed), the rest of that batch is sent with half the budget, again until nothing is cut.
 */
export function budgetAfterTruncation(budget: number): number {
  return Math.max(1, Math.floor(budget / 2));
}

/**
 * Records per write request (create/update users, courses, groups; enrol; group members), at most:
 * 500 users took 26.4 s one at a time and 6.9 s in batches of 100 on the real site, and a larger batch
 * gains little while one bad record costs a longer split. The var budget cuts a batch sooner when its
 * records are wide (a new user is eight variables, so 100 of them just fit the default budget of 800).
 */
export const RECORDS_PER_WRITE = 100;

/** Requests in flight to one site at once (the transport's limit): a typical site's web-service workers. */
export const REQUESTS_IN_FLIGHT = 4;

/**
 * Records the upload hands the adapter per call (ApplyInput.batchSize): one write request for every
 * request slot, so the site's workers are all busy while the call lasts. The learnt ids of a call are
 * journalled before the next, so this is also what a crash can leave unjournalled.
 */
export const RECORDS_PER_APPLY_CALL = RECORDS_PER_WRITE * REQUESTS_IN_FLIGHT;

/**
 * Records one read answers with, at most (users by field, a page of course participants): an
 * answer's JSON stays a few hundred KB, parsed at once.
 */
export const RECORDS_PER_READ = 500;

/**
 * Values per look-up (core_user_get_users_by_field): each value is one form variable, so the var
 * budget bounds it as well as the answer size.
 */
export function valuesPerLookup(budget: number): number {
  return Math.max(1, Math.min(budget, RECORDS_PER_READ));
}

/** Course participants per page (core_enrol_get_enrolled_users). */
export const PARTICIPANTS_PER_PAGE = RECORDS_PER_READ;

/**
 * Role ids are learnt from course participants: from at most this many courses, one page each of
 * this many participants (a course's first page almost always shows its student and teacher roles).
 */
export const ROLE_SEARCH_COURSES = 10;
export const ROLE_SEARCH_PARTICIPANTS = RECORDS_PER_WRITE;
