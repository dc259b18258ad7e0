import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId } from 'react';
import type { ApiInput, ApiOutput } from '../../../../electron/core/contract/contract';
import { useApi } from '../../api/api-context';
import { EngineErrorState } from '../../components/query-states';
import { plural } from '../../format/labels';

type Decision = ApiOutput<'links:list'>[number];

const LINK_DECISIONS_KEY = ['links'] as const;

const REASON_WORDS: Record<Decision['reason'], string> = {
  'no-idnumber': 'An LMS account already has this username and no idnumber: it may be someone else’s.',
  'web-service-user':
    'The LMS account with this username is the one ClassBridge’s token signs in as: it is never linked.',
  'site-admin': 'The LMS account with this username is the site’s administrator (or guest): it is never linked.',
  'other-auth':
    'The LMS account with this username signs in another way than the accounts ClassBridge makes: it is never linked.',
};

function useLinkDecisions() {
  const api = useApi();
  const queryClient = useQueryClient();
  // An upload may record new decisions: refresh when the engine says the status changed.
  useEffect(
    () => api.on('status:changed', () => void queryClient.invalidateQueries({ queryKey: LINK_DECISIONS_KEY })),
    [api, queryClient],
  );
  return useQuery({ queryKey: LINK_DECISIONS_KEY, queryFn: () => api.call('links:list', {}) });
}

function useDecideLink() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiInput<'links:decide'>) => api.call('links:decide', input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: LINK_DECISIONS_KEY }),
  });
}

/**
 * Existing LMS accounts an upload found for people it was about to create, and did not take over on
 * its own (see docs/moodle.md, How existing accounts are matched): each beside the person, with Link,
 * Create with another username and Skip. Nothing is written to the account until the admin decides;
 * the next upload carries the decision out. Renders nothing when no decision is waiting.
 */
export function LinkDecisions({ lmsNames }: { lmsNames: ReadonlyMap<string, string> }) {
  const decisions = useLinkDecisions();
  const headingId = useId();
  if (decisions.isPending) return null;
  if (decisions.isError) return <EngineErrorState error={decisions.error} onRetry={() => void decisions.refetch()} />;
  // A Skip stays decided run after run: not shown here again (`classbridge links list` still lists it, and can change it).
  const shown = decisions.data.filter((d) => d.state !== 'skip');
  if (shown.length === 0) return null;
  const open = shown.filter((d) => d.state === 'open').length;
  return (
    <section className="notice notice-warning banner link-decisions" aria-labelledby={headingId}>
      <div className="banner-body">
        <h2 id={headingId}>
          <span className="notice-icon" aria-hidden="true">
            !
          </span>
          Existing LMS accounts:{' '}
          {open > 0 ? `${plural(open, 'decision')} waiting for you` : 'decided, not yet uploaded'}
        </h2>
        <p>
          ClassBridge did not create these people, and wrote nothing to the accounts below. Link makes the account this
          person’s (the upload updates its names, email and idnumber from the SMS); Create makes a new account with
          another username; Skip leaves both alone. The next upload carries out what you choose.
        </p>
        <ul className="plain-list">
          {shown.map((d) => (
            <li key={d.id}>
              <LinkDecisionItem decision={d} lmsName={lmsNames.get(d.connectionId) ?? d.connectionId} />
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

const CHOSEN: Record<Exclude<Decision['state'], 'open'>, string> = {
  link: 'You chose Link: the next upload links this account.',
  create: 'You chose Create with another username: the next upload creates it.',
  skip: 'You chose Skip: this person is not created.',
};

function LinkDecisionItem({ decision: d, lmsName }: { decision: Decision; lmsName: string }) {
  const decide = useDecideLink();
  const headingId = useId();
  const createAs = d.username ?? d.suggestedUsername;
  const name = `${d.sms.firstname} ${d.sms.lastname}`.trim();
  const rows: [string, string, string][] = [
    ['Username', d.sms.username, d.lms.username],
    ['First name', d.sms.firstname, d.lms.firstname],
    ['Last name', d.sms.lastname, d.lms.lastname],
    ['Email', d.sms.email || '(none)', d.lms.email || '(none)'],
    ['Idnumber', d.sms.idnumber, d.lms.idnumber || '(none)'],
    ['Signs in with', '', d.lms.auth + (d.lms.suspended ? ' (suspended)' : '')],
  ];
  return (
    <article className="link-decision" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {name} ({d.smsId}) — {lmsName}
      </h3>
      <p>{REASON_WORDS[d.reason]}</p>
      <table className="data-table">
        <caption className="visually-hidden">
          {name} in the SMS beside LMS account {d.lms.username}
        </caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">SMS (to create)</th>
            <th scope="col">LMS account {d.lmsUserId}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, sms, lms]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{sms}</td>
              <td>{lms}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.state !== 'open' && <p className="muted">{CHOSEN[d.state]}</p>}
      <div className="toolbar" role="group" aria-label={`Decide on ${d.lms.username}`}>
        <button
          type="button"
          disabled={decide.isPending || !d.linkable}
          title={d.linkable ? undefined : 'ClassBridge never takes over this account'}
          onClick={() => decide.mutate({ id: d.id, decision: 'link' })}
        >
          Link
        </button>
        <button
          type="button"
          disabled={decide.isPending || createAs === null}
          onClick={() => decide.mutate({ id: d.id, decision: 'create' })}
        >
          {createAs === null ? 'Create with another username' : `Create as ${createAs}`}
        </button>
        <button type="button" disabled={decide.isPending} onClick={() => decide.mutate({ id: d.id, decision: 'skip' })}>
          Skip
        </button>
      </div>
      <div role="status">{decide.isSuccess && <p>{decide.data.message}</p>}</div>
      {decide.isError && (
        <p className="inline-error" role="alert">
          Could not record your decision: {decide.error.message}
        </p>
      )}
    </article>
  );
}
