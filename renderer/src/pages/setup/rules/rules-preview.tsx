/**
 * "Preview on your records": the dry run (sync:preview) with the rules as edited, not yet saved, on the
 * first real records of the last imported SMS export, one part per rule (names, sign-in and profile
 * fields, categories, term lifecycle, cohorts, parents, course templates). Nothing is saved or sent.
 * Shared by the wizard's mapping step and Settings → Provisioning rules.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ApiOutput } from '../../../../../electron/core/contract/contract';
import { ApiError } from '../../../../../electron/core/contract/errors';
import type { Mapping } from '../../../../../electron/core/model';
import { useApi } from '../../../api/api-context';
import { LoadingState } from '../../../components/query-states';
import { describeBecause } from './describe-because';
import { EngineText } from '../../../components/engine-text';
import { PreviewRecords } from '../../../components/preview-records';

type Preview = ApiOutput<'sync:preview'>;

/** The value after `ms` without a change, so typing does not ask the engine at every key. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export interface RulesPreviewProps {
  /** The saved LMS connection to preview against; absent before the first save. */
  connectionId: string | undefined;
  /** The mapping as edited; absent while a rule has an error (`problems` says which). */
  mapping: Mapping | undefined;
  problems: string[];
  headingId: string;
}

export function RulesPreview({ connectionId, mapping, problems, headingId }: RulesPreviewProps) {
  const api = useApi();
  const [shown, setShown] = useState(false);
  const key = useDebounced(JSON.stringify(mapping ?? null), 500);
  const preview = useQuery({
    queryKey: ['rules-preview', connectionId, key],
    queryFn: () => api.call('sync:preview', { connectionId: connectionId!, mapping: JSON.parse(key) as Mapping }),
    enabled: shown && connectionId !== undefined && key !== 'null',
    placeholderData: keepPreviousData,
    retry: false,
  });
  return (
    <section aria-labelledby={headingId} className="setup-preview rules-preview">
      <h3 id={headingId}>Preview on your records</h3>
      {connectionId === undefined ? (
        <p className="setup-hint">
          Save the set-up once: then this shows each rule on the first records of the school’s SMS export.
        </p>
      ) : !shown ? (
        <>
          <p className="setup-hint">
            Each rule as set here, on the first records of the last SMS export, before anything is saved. It follows
            your changes. Nothing is sent to the LMS.
          </p>
          <button type="button" className="button-secondary" onClick={() => setShown(true)}>
            Preview on your records
          </button>
        </>
      ) : problems.length > 0 ? (
        <div className="notice notice-warning" role="status">
          <p>Fix these first to see the preview:</p>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : preview.isPending ? (
        <LoadingState>Working out the rules on your records…</LoadingState>
      ) : preview.isError ? (
        <PreviewError error={preview.error} />
      ) : (
        <>
          <div aria-busy={preview.isFetching} role="status" aria-live="polite" aria-label="Rules on your records">
            <PreviewParts preview={preview.data} />
          </div>
          {/* Outside the live region: a table of records is read on demand, not announced on each change. */}
          <PreviewRecords records={preview.data.records} />
        </>
      )}
    </section>
  );
}

function PreviewError({ error }: { error: Error }) {
  const issues = error instanceof ApiError ? (error.body.issues ?? []) : [];
  return (
    <div className="notice notice-problem" role="alert">
      <p>
        <span className="notice-icon" aria-hidden="true">
          ✕
        </span>
        The preview could not be made: {issues.length > 0 ? 'these rules are not valid.' : error.message}
      </p>
      {issues.length > 0 ? (
        <ul>
          {issues.map((i) => (
            <li key={`${i.field}-${i.message}`}>{i.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function Part({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} className="rules-preview-part">
      <h4>{title}</h4>
      {children}
    </section>
  );
}

function PreviewParts({ preview }: { preview: Preview }) {
  const samples = preview.samples as Record<string, { key: string; record: Record<string, unknown> }[]>;
  const people = (preview.names ?? []).filter((n) => n.kind === 'person');
  const courses = (preview.names ?? []).filter((n) => n.kind === 'course');
  const users = samples.createUsers ?? [];
  const withFields = (preview.accounts?.people ?? []).some((p) => Object.keys(p.fields).length > 0);
  return (
    <>
      <p className="setup-summary">{preview.summary}</p>
      <Part title="Usernames and emails">
        {people.length > 0 ? (
          <ul>
            {people.map((n) => (
              <li key={n.key}>
                {n.name} —{' '}
                {n.error ? (
                  <span className="setup-error">{n.error}</span>
                ) : (
                  Object.entries(n.values)
                    .map(([k, v]) => `${k === 'username' ? 'username' : k === 'email' ? 'email' : k} ${v}`)
                    .join(', ')
                )}
              </li>
            ))}
          </ul>
        ) : users.length > 0 ? (
          <ul>
            {users.map((u) => (
              <li key={u.key}>
                {String(u.record.firstname ?? '')} {String(u.record.lastname ?? '')} — username{' '}
                {String(u.record.username ?? '')}
                {u.record.email ? `, email ${String(u.record.email)}` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No new accounts on these records.</p>
        )}
      </Part>
      {courses.length > 0 ? (
        <Part title="Course names">
          <ul>
            {courses.map((n) => (
              <li key={n.key}>
                {n.name} —{' '}
                {n.error ? (
                  <span className="setup-error">{n.error}</span>
                ) : (
                  Object.entries(n.values)
                    .map(([k, v]) => `${k === 'fullname' ? 'full name' : k === 'shortname' ? 'short name' : k} ${v}`)
                    .join(', ')
                )}
              </li>
            ))}
          </ul>
        </Part>
      ) : null}
      {preview.accounts ? (
        <Part title="Sign-in and profile fields">
          <p>New accounts sign in with: {preview.accounts.signIn}</p>
          {withFields ? (
            <ul>
              {preview.accounts.people.map((p) => (
                <li key={p.key}>
                  {p.name} —{' '}
                  {Object.entries(p.fields)
                    .map(([k, v]) => `${k}: ${v}`)
                    .join(', ') || 'no value in the SMS'}
                </li>
              ))}
            </ul>
          ) : null}
        </Part>
      ) : null}
      {preview.categories ? (
        <Part title="Categories of new courses">
          <ul>
            {preview.categories.map((c) => (
              <li key={c.key}>
                {c.name} — category {c.categoryId} ({describeBecause(c.because)})
              </li>
            ))}
          </ul>
        </Part>
      ) : null}
      {preview.courseTemplates ? (
        <Part title="Courses made from a template">
          {preview.courseTemplates.length > 0 ? (
            <ul>
              {preview.courseTemplates.map((c) => (
                <li key={c.key}>
                  {c.name} — copy of course {c.templateCourseId} ({describeBecause(c.because)})
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No course on these records is made from a template.</p>
          )}
        </Part>
      ) : null}
      {preview.lifecycle ? (
        <Part title="Term lifecycle">
          <p>{preview.lifecycle.pause ? `Removals held: ${preview.lifecycle.pause.label}.` : 'No pause today.'}</p>
          {preview.lifecycle.closing.length > 0 ? (
            <ul>
              {preview.lifecycle.closing.map((c) => (
                <li key={c.lmsId}>
                  {c.code} ended {c.endDate}: {c.hide ? 'closed and hidden' : 'closed'} — {c.reason}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No course closes on this run.</p>
          )}
        </Part>
      ) : null}
      {preview.cohorts ? (
        <Part title="Cohorts">
          {preview.cohorts.length > 0 ? (
            <ul>
              {preview.cohorts.map((c) => (
                <li key={c.key}>
                  {c.name} — {c.cohorts.join(', ') || 'no cohort'}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">Nobody on these records joins a cohort.</p>
          )}
        </Part>
      ) : null}
      {preview.parents ? (
        <Part title="Parents and guardians">
          {preview.parents.length > 0 ? (
            <ul>
              {preview.parents.map((p) => (
                <li key={p.key}>
                  {p.name}
                  {p.username ? ` (username ${p.username})` : ''} —{' '}
                  {p.error ? (
                    <span className="setup-error">{p.error}</span>
                  ) : (
                    `parent of ${p.children.join(', ') || 'nobody synced'}`
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No parent or guardian on these records.</p>
          )}
        </Part>
      ) : null}
      {preview.errors.length > 0 ? (
        <Part title="Records that cannot be synced until fixed">
          <ul>
            {preview.errors.map((error) => (
              <li key={`${error.recordKind}-${error.recordKey}-${error.field ?? ''}`}>
                <EngineText text={error.message} />{' '}
                <span className="setup-fix">
                  Fix: <EngineText text={error.fix} />
                </span>
              </li>
            ))}
          </ul>
        </Part>
      ) : null}
      {preview.removals.held && preview.removals.message ? (
        <p className="notice notice-warning">{preview.removals.message}</p>
      ) : null}
    </>
  );
}
