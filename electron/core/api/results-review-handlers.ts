import type { ApiEvent, ApiEventPayload, ApiOutput, ApiParsedInput } from '../contract/contract';
import type { ResultDecision, ResultReview } from '../model';
import type { Store } from '../store/store';
import type { ReviewFilter, StoredReview } from '../store/repositories/result-reviews-repository';

type Emit = <E extends ApiEvent>(event: E, payload: ApiEventPayload<E>) => void;

const WAITING = ['pending', 'held'] as const;
const number = new Intl.NumberFormat('en');

/** The stored reviews as the Results page shows them: with the person's and the course's names. */
function named(store: Store, reviews: readonly StoredReview[]): ResultReview[] {
  const people = store.db.prepare("SELECT given_name || ' ' || family_name AS name FROM people WHERE sms_id = ?");
  const courses = new Map<string, Map<number, { fullname: string }>>();
  const courseName = (connectionId: string, lmsCourseId: number): string => {
    let byId = courses.get(connectionId);
    if (!byId) {
      const all = store.lmsCourses.list({ connectionId, states: ['New', 'Open', 'Closed', 'Deleted'] });
      courses.set(connectionId, (byId = new Map(all.map((c) => [c.lmsId, c]))));
    }
    return byId.get(lmsCourseId)?.fullname ?? `LMS course ${lmsCourseId}`;
  };
  return reviews.map(({ contentHash: _hash, ...r }) => ({
    ...r,
    personName: (people.get(r.personSmsId) as { name: string } | undefined)?.name ?? null,
    course: courseName(r.connectionId, r.lmsCourseId),
  }));
}

function done(decision: ResultDecision, count: number): string {
  const it = count === 1 ? 'it' : 'them';
  const has = count === 1 ? 'has it' : 'have them';
  if (decision === 'accept') return `accepted: the next results delivery writes ${it} to the SMS`;
  if (decision === 'hold') return `held: not written until the LMS result changes again`;
  return `kept as the SMS ${has}: nothing is written, and the SMS's value counts as delivered`;
}

/** `results:pending` and `results:decide`: the Results page (docs/results.md). */
export function resultsReviewHandlers(store: Store, emit: Emit) {
  return {
    'results:pending': (input: ApiParsedInput<'results:pending'>): ApiOutput<'results:pending'> =>
      named(store, store.resultReviews.list({ ...filterOf(input), states: input.states ?? WAITING })),

    'results:decide': (input: ApiParsedInput<'results:decide'>): ApiOutput<'results:decide'> => {
      const keys = input.all
        ? store.resultReviews.list({ ...filterOf(input), states: WAITING })
        : (input.records ?? []);
      const changed = store.resultReviews.decide(keys, input.decision);
      if (changed.length > 0) emit('status:changed', {});
      const skipped =
        input.decision === 'keep-sms' && changed.length < keys.length
          ? ` Keep the SMS's value applies to conflicts only; ${number.format(keys.length - changed.length)} other ${keys.length - changed.length === 1 ? 'result was' : 'results were'} left as ${keys.length - changed.length === 1 ? 'it was' : 'they were'}.`
          : '';
      const message =
        changed.length === 0
          ? `No result changed.${skipped}`
          : `${number.format(changed.length)} ${changed.length === 1 ? 'result' : 'results'} ${done(input.decision, changed.length)}.${skipped}`;
      return { changed: changed.length, message };
    },
  };
}

function filterOf(input: ApiParsedInput<'results:pending'> | ApiParsedInput<'results:decide'>): ReviewFilter {
  const filter: ReviewFilter = {};
  if (input.connectionId !== undefined) filter.connectionId = input.connectionId;
  if (input.lmsCourseId !== undefined) filter.lmsCourseId = input.lmsCourseId;
  if (input.personSmsId !== undefined && input.personSmsId.trim() !== '') filter.personSmsId = input.personSmsId.trim();
  if (input.reasons !== undefined) filter.reasons = input.reasons;
  return filter;
}
