/**
 * The mapping step's sign-in method and profile-field editor (issue 15, items 2 and 3). Moodle has no
 * web service that lists the installed auth plugins or the site's custom profile field definitions,
 * so the admin chooses from Moodle's core plugins (or types another) and types a custom field's
 * shortname; "Read the site's accounts" (connections:accountFacts) adds the auth methods and custom
 * fields the site's existing accounts show.
 */
import { useState } from 'react';
import type { ApiOutput } from '../../../../electron/core/contract/contract';
import { STANDARD_PROFILE_FIELDS } from '../../../../electron/core/model';
import { useApi } from '../../api/api-context';
import type { LmsDraft, MappingDraft } from './draft';
import { CheckboxField, SelectField, TextField } from './fields';

const AUTH_CHOICES = [
  { value: 'manual', label: 'Moodle password (manual accounts)' },
  { value: 'oauth2', label: 'OAuth 2 (Microsoft 365 / Google sign-in)' },
  { value: 'saml2', label: 'SAML2 single sign-on (auth_saml2 add-on)' },
  { value: 'ldap', label: 'LDAP server' },
  { value: 'cas', label: 'CAS server (SSO)' },
  { value: 'shibboleth', label: 'Shibboleth' },
  { value: 'db', label: 'External database' },
  { value: 'other', label: 'Another installed plugin…' },
] as const;
const LISTED = new Set<string>(AUTH_CHOICES.map((c) => c.value).filter((v) => v !== 'other'));

/** Facts the SMS adapters keep in a person's record (suggestions; the dry run checks the real ones). */
const SMS_FIELD_SUGGESTIONS = ['yearLevel', 'house', 'tutorGroup', 'formClass', 'nsn', 'usi', 'dateOfBirth'];
const CUSTOM = '(custom)';

export type AccountFacts = ApiOutput<'connections:accountFacts'>;

/** Reads what the LMS's existing accounts show, with the token typed in the wizard or the stored one. */
export function useAccountFacts(lms: LmsDraft | undefined, tokens: Record<string, string>) {
  const api = useApi();
  const [facts, setFacts] = useState<{ key: string; value: AccountFacts } | null>(null);
  const [reading, setReading] = useState(false);
  async function read() {
    if (!lms) return;
    setReading(true);
    try {
      const token = tokens[lms.key]?.trim();
      const value = token
        ? await api.call('connections:accountFacts', { provider: lms.provider, url: lms.url.trim(), token })
        : await api.call('connections:accountFacts', { connectionId: lms.id });
      setFacts({ key: lms.key, value });
    } catch (error) {
      const problem = error instanceof Error ? error.message : String(error);
      setFacts({ key: lms.key, value: { sampled: 0, auths: [], customFields: [], problem } });
    } finally {
      setReading(false);
    }
  }
  return { facts: lms && facts?.key === lms.key ? facts.value : undefined, read, reading };
}

interface Props {
  prefix: string;
  mapping: MappingDraft;
  set: (patch: Partial<MappingDraft>) => void;
  field: (name: string) => { id: string; error: string | undefined; onBlur: () => void };
  facts?: AccountFacts | undefined;
}

export function SignInFields({
  prefix,
  mapping: m,
  set,
  field,
  facts,
  onRead,
  reading,
}: Props & { onRead: () => void; reading: boolean }) {
  const used = new Map((facts?.auths ?? []).map((a) => [a.auth, a.accounts]));
  const seen = [...used.keys()].filter((a) => !LISTED.has(a));
  const known = new Set([...LISTED, ...seen]);
  const listed = known.has(m.signInAuth);
  const count = (auth: string) => (used.has(auth) ? ` — used by ${used.get(auth)} existing accounts` : '');
  const options = [
    ...AUTH_CHOICES.filter((c) => c.value !== 'other').map((c) => ({
      value: c.value,
      label: c.label + count(c.value),
    })),
    ...seen.map((a) => ({ value: a, label: `${a}${count(a)}` })),
    { value: 'other', label: 'Another installed plugin…' },
  ];
  return (
    <>
      <h3>Sign-in for new accounts</h3>
      <SelectField<string>
        {...field('auth-choice')}
        label="New accounts sign in with"
        hint="Only accounts ClassBridge creates: an existing account keeps its own sign-in method. The plugin must be installed on the site (Site administration › Plugins › Authentication)."
        value={listed ? m.signInAuth : 'other'}
        onChange={(choice) => set({ signInAuth: choice === 'other' ? '' : choice })}
        options={options}
      />
      <p className="setup-hint">
        <button type="button" className="button-secondary" onClick={onRead} disabled={reading}>
          {reading ? 'Reading…' : 'Read the site’s accounts'}
        </button>{' '}
        {facts ? (
          <span role="status">
            {facts.problem
              ? `Could not read the accounts: ${facts.problem}`
              : `${facts.sampled} existing accounts read: ${
                  facts.auths.map((a) => `${a.auth} (${a.accounts})`).join(', ') ||
                  'their sign-in methods are not visible to this token'
                }; custom profile fields in use: ${
                  facts.customFields.map((f) => f.shortname).join(', ') || 'none seen'
                }.`}
          </span>
        ) : (
          'Moodle lists neither its sign-in plugins nor its profile fields: this shows what existing accounts use.'
        )}
      </p>
      {!listed ? (
        <TextField
          {...field('auth')}
          label="Auth plugin name"
          placeholder="for example lti"
          value={m.signInAuth}
          onChange={(signInAuth) => set({ signInAuth })}
        />
      ) : null}
      {m.signInAuth === 'manual' ? (
        <CheckboxField
          id={`${prefix}-email-password`}
          label="Moodle emails each new person a password"
          hint="Off: the account gets a random password nobody is told; the person uses “Forgotten password”."
          checked={m.emailPassword}
          onChange={(emailPassword) => set({ emailPassword })}
        />
      ) : null}
    </>
  );
}

export function ProfileFieldsEditor({ prefix, mapping: m, set, field, facts }: Props) {
  const rows = m.profileFields;
  const setRow = (i: number, patch: Partial<{ lms: string; sms: string }>) =>
    set({ profileFields: rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  return (
    <section aria-labelledby={`${prefix}-profile-heading`}>
      <h3 id={`${prefix}-profile-heading`}>Profile fields</h3>
      <p className="setup-hint">
        Copy SMS facts into Moodle user fields, on create and whenever the SMS value changes. For a custom profile
        field, create it in Moodle first (Site administration › Users › User profile fields) and type its short name:
        Moodle lists no profile fields over web services, and silently drops one it does not have.
      </p>
      <datalist id={`${prefix}-custom-fields`}>
        {(facts?.customFields ?? []).map((f) => (
          <option key={f.shortname} value={f.shortname}>
            {f.name}
          </option>
        ))}
      </datalist>
      <datalist id={`${prefix}-sms-fields`}>
        {SMS_FIELD_SUGGESTIONS.map((f) => (
          <option key={f} value={f} />
        ))}
      </datalist>
      {rows.map((row, i) => {
        const custom = row.lms === '' || row.lms.startsWith('profile_field_') || row.lms === CUSTOM;
        const shortname = row.lms.startsWith('profile_field_') ? row.lms.slice('profile_field_'.length) : '';
        return (
          <div className="setup-row" key={i}>
            <SelectField<string>
              {...field(`profile-${i}-kind`)}
              label={`LMS field ${i + 1}`}
              value={custom ? CUSTOM : row.lms}
              onChange={(v) => setRow(i, { lms: v === CUSTOM ? 'profile_field_' : v })}
              options={[
                ...STANDARD_PROFILE_FIELDS.map((f) => ({ value: f, label: f })),
                { value: CUSTOM, label: 'Custom profile field…' },
              ]}
            />
            {custom ? (
              <TextField
                {...field(`profile-${i}-lms`)}
                label="Its short name"
                placeholder="house"
                list={`${prefix}-custom-fields`}
                value={shortname}
                onChange={(v) => setRow(i, { lms: `profile_field_${v.trim()}` })}
              />
            ) : null}
            <TextField
              {...field(`profile-${i}-sms`)}
              label="From the SMS field"
              placeholder="house"
              list={`${prefix}-sms-fields`}
              value={row.sms}
              onChange={(sms) => setRow(i, { sms })}
            />
            <button
              type="button"
              className="button-secondary"
              onClick={() => set({ profileFields: rows.filter((_, j) => j !== i) })}
            >
              Remove
            </button>
          </div>
        );
      })}
      <button
        type="button"
        className="button-secondary"
        onClick={() => set({ profileFields: [...rows, { lms: 'profile_field_', sms: '' }] })}
      >
        Add a profile field
      </button>
    </section>
  );
}
