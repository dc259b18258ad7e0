import type { LmsConnection } from '../../../../electron/core/model';
import type { MappingDraft } from './draft';
import { RadioGroup, SelectField } from './fields';
import { EXAMPLE_PEOPLE, previewPerson } from './mapping-preview';
import { ProfileFieldsEditor, SignInFields, useAccountFacts } from './sign-in-fields';
import { CourseTemplateFields, PersonTemplateFields } from './rules/name-template-fields';
import { CategoryChoice, ReadCategoriesButton } from './rules/category-select';
import { MoreRules } from './rules/rule-editors';
import { RoleField } from './role-field';
import { RulesPreview } from './rules/rules-preview';
import { withChoice } from './provider-defaults';
import { mappingErrors, mergeMapping } from './validate';
import type { WizardStepProps } from './wizard-context';

export function MappingStep({ draft, update, errorFor, touch, tokens, connections, testResults }: WizardStepProps) {
  const lms = draft.lms.find((l) => l.key === draft.mappingFor) ?? draft.lms[0];
  const accounts = useAccountFacts(lms, tokens);
  if (!lms) return <p>Add an LMS first.</p>;
  const m = lms.mapping;
  const prefix = `mapping-${lms.key}`;
  const lmsName = lms.name.trim() || 'this LMS';
  // The preview runs against the saved connection (its SMS export, its LMS), with the rules as edited here.
  const saved = lms.saved
    ? connections.find((c): c is LmsConnection => c.kind === 'lms' && c.id === lms.id)
    : undefined;
  const problems = Object.values(mappingErrors(lms));
  // The roles the last connection test found on the site (Moodle lists no roles: they come from participants).
  const foundRoles = testResults[lms.key]?.roles ?? [];

  function set(patch: Partial<MappingDraft>) {
    update((d) => ({
      ...d,
      // Remembered as the admin's answer: a provider's default never replaces it (provider-defaults.ts).
      lms: d.lms.map((l) => (l.key === lms!.key ? { ...l, mapping: withChoice(l.mapping, patch) } : l)),
    }));
  }

  const field = (name: string) => ({
    id: `${prefix}-${name}`,
    error: errorFor(`${prefix}-${name}`),
    onBlur: () => touch(`${prefix}-${name}`),
  });

  return (
    <>
      {draft.lms.length > 1 ? (
        <SelectField<string>
          id="mapping-for"
          label="Mapping for"
          hint="Each LMS has its own mapping."
          value={lms.key}
          onChange={(mappingFor) => update((d) => ({ ...d, mappingFor }))}
          options={draft.lms.map((l, i) => ({ value: l.key, label: l.name.trim() || `LMS ${i + 1}` }))}
        />
      ) : null}

      <div className="setup-columns">
        <div>
          <h3>People</h3>
          <SelectField<MappingDraft['usernameFrom']>
            {...field('username')}
            label="LMS username from"
            value={m.usernameFrom}
            onChange={(usernameFrom) => set({ usernameFrom })}
            options={[
              { value: 'sms-username', label: 'The SMS username' },
              { value: 'email', label: 'The email address' },
              { value: 'sms-id', label: 'The SMS id (student or staff number)' },
            ]}
          />
          <SelectField<MappingDraft['emailFrom']>
            {...field('email')}
            label="LMS email address"
            value={m.emailFrom}
            onChange={(emailFrom) => set({ emailFrom })}
            options={[
              { value: 'sms-email', label: 'The SMS email address' },
              { value: 'none', label: 'Leave empty' },
            ]}
          />
          <PersonTemplateFields mapping={m} set={set} field={field} />
          <p className="setup-static">
            <strong>LMS ID number:</strong> always the SMS id, so ClassBridge finds each person again.
          </p>
          <SignInFields
            prefix={prefix}
            mapping={m}
            set={set}
            field={field}
            facts={accounts.facts}
            onRead={() => void accounts.read()}
            reading={accounts.reading}
          />

          <h3>Courses</h3>
          <SelectField<MappingDraft['courseMatch']>
            {...field('course-match')}
            label="Match SMS courses to LMS courses by"
            value={m.courseMatch}
            onChange={(courseMatch) => set({ courseMatch })}
            options={[
              { value: 'idnumber', label: 'Course ID number = SMS course code' },
              { value: 'shortname', label: 'Course short name = SMS course code' },
            ]}
          />
          <CourseTemplateFields mapping={m} set={set} field={field} />
          <CategoryChoice
            {...field('category')}
            label="Category for new courses"
            typedLabel="Category id for new courses (optional)"
            emptyLabel="None: create no courses"
            hint={`SMS courses ${lmsName} lacks are created in this category; leave empty to create none (they are then listed as planning errors).`}
            value={m.categoryId}
            onChange={(categoryId) => set({ categoryId })}
            categories={accounts.facts?.categories}
          />
          <ReadCategoriesButton
            categories={accounts.facts?.categories}
            onReadSite={() => void accounts.read()}
            reading={accounts.reading}
            tried={accounts.facts !== undefined}
          />
        </div>
        <div>
          <h3>Roles</h3>
          <RoleField
            id={`${prefix}-student-role`}
            who="Students"
            value={m.studentRole}
            onChange={(studentRole) => set({ studentRole })}
            roleId={m.studentRoleId}
            onRoleIdChange={(studentRoleId) => set({ studentRoleId })}
            field={(name) => field(name === 'role' ? 'student-role' : 'student-role-id')}
            found={foundRoles}
          />
          <RoleField
            id={`${prefix}-teacher-role`}
            who="Teachers"
            value={m.teacherRole}
            onChange={(teacherRole) => set({ teacherRole })}
            roleId={m.teacherRoleId}
            onRoleIdChange={(teacherRoleId) => set({ teacherRoleId })}
            field={(name) => field(name === 'role' ? 'teacher-role' : 'teacher-role-id')}
            found={foundRoles}
          />

          <RadioGroup<MappingDraft['removalPolicy']>
            id={`${prefix}-removal`}
            legend="When someone leaves the SMS or a class"
            value={m.removalPolicy}
            onChange={(removalPolicy) => set({ removalPolicy })}
            options={[
              { value: 'suspend', label: 'Suspend their user and enrolment (recommended; nothing is deleted)' },
              { value: 'unenrol', label: 'Unenrol them from the course (their user is suspended)' },
              { value: 'keep', label: 'Keep them as they are in the LMS' },
            ]}
          />
        </div>
      </div>

      <ProfileFieldsEditor prefix={prefix} mapping={m} set={set} field={field} facts={accounts.facts} />

      <MoreRules
        key={`rules-${lms.key}`}
        prefix={prefix}
        rules={m.rules}
        set={(patch) => set({ rules: { ...m.rules, ...patch } })}
        errorFor={errorFor}
        touch={touch}
        categories={accounts.facts?.categories}
        onReadSite={() => void accounts.read()}
        reading={accounts.reading}
      />

      <RulesPreview
        key={`preview-${lms.key}`}
        connectionId={saved ? lms.id : undefined}
        mapping={problems.length === 0 ? mergeMapping(saved?.mapping, m) : undefined}
        problems={problems}
        headingId={`${prefix}-rules-preview-heading`}
      />

      <section aria-labelledby="mapping-preview-heading" className="setup-preview">
        <h3 id="mapping-preview-heading">Preview: three example people in {lmsName}</h3>
        <p className="setup-hint">
          Made-up records showing how these rules treat typical cases; it changes as you change the rules. The first
          upload’s dry run, after saving, shows the school’s own records.
        </p>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">In the SMS</th>
                <th scope="col">Username</th>
                <th scope="col">Email</th>
                <th scope="col">ID number</th>
                <th scope="col">Role</th>
              </tr>
            </thead>
            <tbody>
              {EXAMPLE_PEOPLE.map((person) => {
                const row = previewPerson(person, m);
                return (
                  <tr key={person.smsId}>
                    <th scope="row">
                      {person.givenName} {person.familyName}
                      <span className="setup-hint">
                        {' '}
                        ({person.role}, id {person.smsId}, username “{person.username || 'none'}”)
                      </span>
                    </th>
                    {row.problem ? (
                      <td colSpan={4} className="setup-error">
                        <span aria-hidden="true">✕ </span>
                        {row.problem}
                      </td>
                    ) : (
                      <>
                        <td>
                          <code>{row.username}</code>
                        </td>
                        <td>{row.email || <span className="muted">empty</span>}</td>
                        <td>{row.idnumber}</td>
                        <td>{row.role}</td>
                      </>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
