import type { ApiEvent, ApiEventPayload, ApiOutput, ApiParsedInput, CourseListItem } from '../contract/contract';
import { ApiError } from '../contract/errors';
import type { LeaveAloneMark } from '../model';
import type { Store } from '../store/store';

type Emit = <E extends ApiEvent>(event: E, payload: ApiEventPayload<E>) => void;

function withLabel(store: Store, mark: LeaveAloneMark): ApiOutput<'leaveAlone:list'>[number] {
  return { ...mark, label: store.leaveAlone.label(mark.kind, mark.smsId) };
}

/** `leaveAlone:list` and `leaveAlone:set`: the admin's "ClassBridge does not touch this" marks. */
export function leaveAloneHandlers(store: Store, emit: Emit) {
  return {
    'leaveAlone:list': ({ connectionId }: ApiParsedInput<'leaveAlone:list'>): ApiOutput<'leaveAlone:list'> =>
      store.leaveAlone.list(connectionId).map((m) => withLabel(store, m)),

    'leaveAlone:set': ({ connectionId, kind, smsId, on, note }: ApiParsedInput<'leaveAlone:set'>) => {
      const connection = store.connections.get(connectionId);
      if (!connection || connection.kind !== 'lms') {
        throw new ApiError({
          code: 'not-found',
          message: `There is no LMS connection "${connectionId}": marks are kept per LMS connection.`,
          field: 'connectionId',
        });
      }
      const label = store.leaveAlone.label(kind, smsId);
      const what = `${kind === 'person' ? 'person' : 'course'} ${label ?? smsId}`;
      const unknown = label === null ? ` (${smsId} is not in the current SMS export)` : '';
      let result: ApiOutput<'leaveAlone:set'>;
      if (on) {
        const had = store.leaveAlone.list(connectionId).some((m) => m.kind === kind && m.smsId === smsId);
        const mark = store.leaveAlone.add(connectionId, kind, smsId, note || undefined);
        result = {
          mark: withLabel(store, mark),
          changed: !had,
          message:
            `ClassBridge leaves the ${what} alone on ${connection.name}${unknown}: no upload or reconcile changes it` +
            (kind === 'person'
              ? ' (no create, update, suspension, role or enrolment change)'
              : ' (no update, enrolment or class change)') +
            ' until the mark is removed.',
        };
      } else {
        const removed = store.leaveAlone.remove(connectionId, kind, smsId);
        result = {
          mark: null,
          changed: removed,
          message: removed
            ? `The ${what} is no longer left alone on ${connection.name}: the next upload brings it in line with the SMS, from what ClassBridge last applied.`
            : `The ${what} was not left alone on ${connection.name}; nothing changed.`,
        };
      }
      if (result.changed) {
        if (kind === 'course') emit('courses:changed', { connectionId });
        emit('status:changed', {});
      }
      return result;
    },
  };
}

/**
 * The Courses page's view of the marks: each LMS course with the SMS course it is linked to (or matches
 * by code, per the connection's mapping) and that course's mark, if any.
 */
export function withLeaveAlone<T extends Pick<CourseListItem, 'connectionId' | 'lmsId' | 'idnumber' | 'shortname'>>(
  store: Store,
  courses: T[],
): (T & Pick<CourseListItem, 'smsCourseId' | 'leftAlone'>)[] {
  const byCode = store.leaveAlone.courseIdsByCode();
  const perConnection = new Map<
    string,
    { links: Map<string, string>; match: 'idnumber' | 'shortname'; marks: Map<string, LeaveAloneMark> }
  >();
  const context = (connectionId: string) => {
    let c = perConnection.get(connectionId);
    if (!c) {
      const connection = store.connections.get(connectionId);
      const links = new Map<string, string>();
      for (const [smsId, lmsId] of store.links.all(connectionId, 'course')) links.set(lmsId, smsId);
      const match = connection?.kind === 'lms' ? connection.mapping.courseMatch : 'idnumber';
      const marks = new Map(
        store.leaveAlone
          .list(connectionId)
          .filter((m) => m.kind === 'course')
          .map((m) => [m.smsId, m]),
      );
      perConnection.set(connectionId, (c = { links, match, marks }));
    }
    return c;
  };
  return courses.map((course) => {
    const c = context(course.connectionId);
    const code = c.match === 'idnumber' ? course.idnumber : course.shortname;
    const smsCourseId = c.links.get(String(course.lmsId)) ?? (code ? byCode.get(code) : undefined);
    const mark = smsCourseId !== undefined ? c.marks.get(smsCourseId) : undefined;
    return {
      ...course,
      ...(smsCourseId !== undefined ? { smsCourseId } : {}),
      ...(mark ? { leftAlone: { createdAt: mark.createdAt, note: mark.note } } : {}),
    };
  });
}
