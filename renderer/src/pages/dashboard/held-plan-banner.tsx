import { useEffect, useId, useRef, useState } from 'react';
import type { Status } from '../../../../electron/core/contract/contract';
import type { HeldPlan } from '../../../../electron/core/model';
import { useDecideHeldPlan, useHeldPlans } from '../../api/queries';
import { EngineErrorState, LoadingState } from '../../components/query-states';
import { formatDateTime, type SchoolClock } from '../../format/format-date-time';
import { plural } from '../../format/labels';

type PendingPlan = Status['heldPlans'][number];

const REMOVAL_WORDS: Record<string, { one: string; many: string }> = {
  suspendUsers: { one: 'account suspended', many: 'accounts suspended' },
  suspendEnrolments: { one: 'enrolment suspended', many: 'enrolments suspended' },
  unenrol: { one: 'enrolment removed', many: 'enrolments removed' },
  rekeyPeople: {
    one: 'person re-keyed (same LMS account, new SMS id)',
    many: 'people re-keyed (same LMS accounts, new SMS ids)',
  },
  rekeyCourses: {
    one: 'course re-keyed (same LMS course, new code)',
    many: 'courses re-keyed (same LMS courses, new codes)',
  },
};

const SAMPLE_KIND_WORDS: Record<HeldPlan['details']['samples'][number]['kind'], string> = {
  'suspend-user': 'Suspend the account of',
  unenrol: 'Unenrol',
  'suspend-enrolment': 'Suspend the enrolment of',
  'rekey-person': 'Keep the same LMS account for',
  'rekey-course': 'Keep the same LMS course for',
};

/**
 * A plan the safety rail held (it would remove more than the limit): what the engine said, and a
 * Review that lists the removals by name before the admin approves (the upload then runs now) or rejects.
 */
export function HeldPlanBanner({ plan, lmsName, clock }: { plan: PendingPlan; lmsName: string; clock: SchoolClock }) {
  const [reviewing, setReviewing] = useState(false);
  const headingId = useId();
  const reviewId = useId();
  return (
    <section className="notice notice-warning banner" aria-labelledby={headingId}>
      <div className="banner-body">
        <h2 id={headingId}>
          <span className="notice-icon" aria-hidden="true">
            !
          </span>
          The upload to {lmsName} is waiting for your approval
        </h2>
        <p>{plan.message}</p>
        <p className="muted">
          Held <time dateTime={plan.createdAt}>{formatDateTime(plan.createdAt, clock)}</time>. Nothing has been removed
          yet.
        </p>
        <button
          type="button"
          aria-expanded={reviewing}
          aria-controls={reviewId}
          onClick={() => {
            setReviewing(!reviewing);
          }}
        >
          {reviewing ? 'Hide review' : 'Review'}
        </button>
        <div id={reviewId}>{reviewing && <HeldPlanReview planId={plan.id} connectionId={plan.connectionId} />}</div>
      </div>
    </section>
  );
}

function HeldPlanReview({ planId, connectionId }: { planId: number; connectionId: string }) {
  const plans = useHeldPlans();
  const decide = useDecideHeldPlan(connectionId);
  const plan = plans.data?.find((p) => p.id === planId);

  if (plans.isPending) return <LoadingState>Loading the held plan…</LoadingState>;
  if (plans.isError) return <EngineErrorState error={plans.error} onRetry={() => void plans.refetch()} />;
  if (!plan) return <p>This plan is no longer waiting for a decision.</p>;

  const counts = Object.entries(plan.details.counts).filter(([, n]) => n > 0);
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  // Re-keys are held too (the admin confirms them) but remove nothing: counted apart in the heading.
  const rekeys = counts.filter(([kind]) => kind.startsWith('rekey')).reduce((sum, [, n]) => sum + n, 0);
  return (
    <div className="held-plan-review">
      <ReviewHeading>
        Review: {plural(total - rekeys, 'removal')}
        {rekeys > 0 ? `, ${plural(rekeys, 're-key')}` : ''}
      </ReviewHeading>
      <ul className="plain-list" aria-label="Removals by kind">
        {counts.map(([kind, n]) => {
          const words = REMOVAL_WORDS[kind];
          return (
            <li key={kind}>
              <strong>{n}</strong> {words ? (n === 1 ? words.one : words.many) : kind}
            </li>
          );
        })}
      </ul>
      <CourseGroups courses={plan.details.courses} />
      {plan.details.samples.length > 0 && (
        <>
          <p>
            {plan.details.samples.length < total ? `The first ${plan.details.samples.length}, by name:` : 'By name:'}
          </p>
          <ul className="held-plan-samples" aria-label="Removals by name">
            {plan.details.samples.map((sample) => (
              <li key={`${sample.kind}:${sample.key}`}>
                {SAMPLE_KIND_WORDS[sample.kind]} {sample.label}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        Approve if these removals are right: the upload runs now and applies exactly these. Reject if they are not:
        nothing is removed, and uploads stay held until the SMS data changes (correct the SMS export, then import it
        again).
      </p>
      <div className="toolbar" role="group" aria-label="Decide on the held plan">
        <button
          type="button"
          className="button-primary"
          disabled={decide.isPending}
          onClick={() => decide.mutate({ id: plan.id, decision: 'approve' })}
        >
          Approve and upload
        </button>
        <button
          type="button"
          disabled={decide.isPending}
          onClick={() => decide.mutate({ id: plan.id, decision: 'reject' })}
        >
          Reject
        </button>
      </div>
      <div role="status">
        {decide.isPending && (
          <p>{decide.variables.decision === 'approve' ? 'Approving and uploading…' : 'Rejecting…'}</p>
        )}
      </div>
      {decide.isError && (
        <p className="inline-error" role="alert">
          Could not record your decision: {decide.error.message}
        </p>
      )}
    </div>
  );
}

/** Courses the held review opens at first: the ones the plan is held for (a class vanishing). */
const OPEN_COURSES = 3;

/**
 * The students the plan takes out of each course, the courses it is held for (more than the per-course
 * share) first and open, so an admin sees at once which class would vanish.
 */
function CourseGroups({ courses }: { courses: HeldPlan['details']['courses'] }) {
  if (courses.length === 0) return null;
  return (
    <>
      <p>By course:</p>
      <ul className="held-plan-courses" aria-label="Removals by course">
        {courses.map((course, index) => (
          <li key={course.course}>
            <details open={course.exceeded && index < OPEN_COURSES}>
              <summary>
                <strong>{course.label}</strong>: {course.removals} of {plural(course.active, 'student')}
                {course.exceeded && <span className="held-plan-course-flag"> — more than the per-course limit</span>}
              </summary>
              <ul className="held-plan-samples" aria-label={`Students taken out of ${course.label}`}>
                {course.students.map((student) => (
                  <li key={student}>{student}</li>
                ))}
                {course.removals > course.students.length && (
                  <li className="muted">… and {course.removals - course.students.length} more</li>
                )}
              </ul>
            </details>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The review's heading takes the focus when it appears, so a keyboard user lands on what just opened. */
function ReviewHeading({ children }: { children: React.ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <h3 ref={heading} tabIndex={-1}>
      {children}
    </h3>
  );
}
