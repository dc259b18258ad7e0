/**
 * One set of editors for the provisioning rules beyond names and sign-in (issue 15): the term lifecycle,
 * course category rules, cohorts, parents and guardians, and course templates. The wizard's mapping step
 * and Settings → Provisioning rules both render `MoreRules`; each control's id is the rule's path under
 * the prefix (rules-draft.ts ruleFieldId), so an issue of the engine's schema lands on its control.
 */
import { useState } from 'react';
import { CheckboxField, RadioGroup, SelectField, TextField } from '../fields';
import { CategoryChoice, ReadCategoriesButton } from './category-select';
import { COURSE_FIELDS, ruleFieldId, type CourseRuleDraft, type RuleTest, type RulesDraft } from './rules-draft';

export interface RuleEditorProps {
  prefix: string;
  rules: RulesDraft;
  set: (patch: Partial<RulesDraft>) => void;
  errorFor: (fieldId: string) => string | undefined;
  touch: (fieldId: string) => void;
  /** The site's course categories by name, once read (connections:accountFacts); absent: ids are typed. */
  categories?: readonly { id: number; name: string }[] | undefined;
  /** Reads them (with the site's accounts), and whether that is under way. */
  onReadSite?: () => void;
  reading?: boolean;
}

/**
 * A category chosen by name where the site listed its categories, else typed as Moodle's id. A saved id
 * the list lacks stays choosable (the site may hide it from this token), named as such.
 */
function CategoryField({
  props,
  path,
  label,
  hint,
  value,
  onChange,
  optional,
}: {
  props: RuleEditorProps;
  path: (string | number)[];
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  optional?: boolean;
}) {
  const field = fieldFor(props)(...path);
  return (
    <CategoryChoice
      {...field}
      label={label}
      hint={hint}
      value={value}
      onChange={onChange}
      categories={props.categories}
      emptyLabel={optional ? 'None (site-wide)' : 'Choose a category'}
    />
  );
}

/** "Read the site's categories": the same read as the sign-in part's, which brings the category names. */
function ReadCategories(props: RuleEditorProps) {
  return <ReadCategoriesButton categories={props.categories} onReadSite={props.onReadSite} reading={props.reading} />;
}

function fieldFor({ prefix, errorFor, touch }: RuleEditorProps) {
  return (...path: (string | number)[]) => {
    const id = ruleFieldId(prefix, path);
    return { id, error: errorFor(id), onBlur: () => touch(id) };
  };
}

/** A list's item replaced, for the immutable updates of the editors. */
function replaced<T>(list: readonly T[], i: number, patch: Partial<T>): T[] {
  return list.map((item, j) => (j === i ? { ...item, ...patch } : item));
}

export function LifecycleEditor(props: RuleEditorProps) {
  const { prefix, rules: r, set } = props;
  const field = fieldFor(props);
  return (
    <section aria-labelledby={`${prefix}-lifecycle-heading`}>
      <h3 id={`${prefix}-lifecycle-heading`}>Term lifecycle</h3>
      <RadioGroup<RulesDraft['endedCourses']>
        id={ruleFieldId(prefix, ['lifecycle', 'endedCourses'])}
        legend="When a course’s end date in the SMS has passed"
        error={props.errorFor(ruleFieldId(prefix, ['lifecycle', 'endedCourses']))}
        value={r.endedCourses}
        onChange={(endedCourses) => set({ endedCourses })}
        options={[
          { value: 'keep', label: 'Keep syncing it as usual' },
          { value: 'close', label: 'Close it: no more enrolment changes or results are synced' },
          {
            value: 'close-and-hide',
            label: 'Close it and hide it from students',
            note: 'Hidden only where ClassBridge created the course; another course is only closed in ClassBridge.',
          },
        ]}
      />
      {r.endedCourses !== 'keep' ? (
        <TextField
          {...field('lifecycle', 'closeAfterDays')}
          label="Days to wait after the end date"
          hint="Time for final marks to be read back before the course closes. 0 closes it the day after."
          inputMode="numeric"
          value={r.closeAfterDays}
          onChange={(closeAfterDays) => set({ closeAfterDays })}
        />
      ) : null}

      <h4>Rollover pause</h4>
      <p className="setup-hint">
        While a pause is on, every removal (suspending people, ending enrolments) waits for your approval, whatever its
        size: during the end-of-year rollover the SMS export loses and regains whole classes.
      </p>
      {r.pauseWindows.map((w, i) => (
        <div className="setup-row" key={i}>
          <TextField
            {...field('lifecycle', 'rolloverPause', 'windows', i, 'from')}
            label={`Pause ${i + 1} starts on`}
            placeholder="YYYY-MM-DD"
            value={w.from}
            onChange={(from) => set({ pauseWindows: replaced(r.pauseWindows, i, { from }) })}
          />
          <TextField
            {...field('lifecycle', 'rolloverPause', 'windows', i, 'until')}
            label="Removals flow again on"
            placeholder="YYYY-MM-DD"
            value={w.until}
            onChange={(until) => set({ pauseWindows: replaced(r.pauseWindows, i, { until }) })}
          />
          <RemoveButton
            label={`Remove pause ${i + 1}`}
            onClick={() => set({ pauseWindows: r.pauseWindows.filter((_, j) => j !== i) })}
          />
        </div>
      ))}
      <button
        type="button"
        className="button-secondary"
        onClick={() => set({ pauseWindows: [...r.pauseWindows, { from: '', until: '' }] })}
      >
        Add a pause with dates
      </button>
      <CheckboxField
        id={`${prefix}-lifecycle-between-terms`}
        label="Also pause between terms, worked out from the SMS course dates"
        hint="From the day after the last course ended until some days before the next one starts."
        checked={r.betweenTerms}
        onChange={(betweenTerms) => set({ betweenTerms })}
      />
      {r.betweenTerms ? (
        <TextField
          {...field('lifecycle', 'rolloverPause', 'betweenTerms', 'daysBeforeNext')}
          label="Removals flow again this many days before the next term"
          inputMode="numeric"
          value={r.daysBeforeNext}
          onChange={(daysBeforeNext) => set({ daysBeforeNext })}
        />
      ) : null}
    </section>
  );
}

/** Ordered "when a course field is / matches a value, use this id" rules (categories, templates). */
function CourseRules({
  props,
  ruleKey,
  targetKey,
  list,
  onChange,
  targetLabel,
  targetHint,
  addLabel,
}: {
  props: RuleEditorProps;
  ruleKey: 'courseCategories' | 'courseTemplates';
  targetKey: 'categoryId' | 'templateCourseId';
  list: CourseRuleDraft[];
  onChange: (list: CourseRuleDraft[]) => void;
  targetLabel: string;
  targetHint: string;
  addLabel: string;
}) {
  const field = fieldFor(props);
  return (
    <>
      {list.map((rule, i) => (
        <fieldset className="setup-fieldset" key={i} aria-label={`Rule ${i + 1}`}>
          <legend>Rule {i + 1}</legend>
          <div className="setup-row">
            <SelectField<string>
              {...field(ruleKey, i, 'field')}
              label="When the"
              value={rule.field}
              onChange={(f) => onChange(replaced(list, i, { field: f }))}
              options={COURSE_FIELDS}
            />
            <SelectField<RuleTest>
              id={ruleFieldId(props.prefix, [ruleKey, i, 'test'])}
              label="Test"
              value={rule.test}
              onChange={(test) => onChange(replaced(list, i, { test }))}
              options={[
                { value: 'equals', label: 'is exactly' },
                { value: 'matches', label: 'matches the pattern' },
              ]}
            />
            <TextField
              {...field(ruleKey, i, 'value')}
              label={rule.test === 'matches' ? 'Pattern' : 'Value'}
              hint={rule.test === 'matches' ? 'A regular expression, e.g. ^MAT for codes starting MAT.' : undefined}
              value={rule.value}
              onChange={(value) => onChange(replaced(list, i, { value }))}
            />
            {targetKey === 'categoryId' ? (
              <CategoryField
                props={props}
                path={[ruleKey, i, targetKey]}
                label={targetLabel}
                hint={targetHint}
                value={rule.target}
                onChange={(target) => onChange(replaced(list, i, { target }))}
              />
            ) : (
              <TextField
                {...field(ruleKey, i, targetKey)}
                label={targetLabel}
                hint={targetHint}
                inputMode="numeric"
                value={rule.target}
                onChange={(target) => onChange(replaced(list, i, { target }))}
              />
            )}
          </div>
          <div className="toolbar">
            {i > 0 ? (
              <button
                type="button"
                className="button-secondary"
                onClick={() => onChange(moved(list, i, i - 1))}
                aria-label={`Move rule ${i + 1} up`}
              >
                Move up
              </button>
            ) : null}
            <RemoveButton label={`Remove rule ${i + 1}`} onClick={() => onChange(list.filter((_, j) => j !== i))} />
          </div>
        </fieldset>
      ))}
      <button
        type="button"
        className="button-secondary"
        onClick={() => onChange([...list, { field: 'code', test: 'equals', value: '', target: '' }])}
      >
        {addLabel}
      </button>
    </>
  );
}

function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="button-secondary" aria-label={label} onClick={onClick}>
      Remove
    </button>
  );
}

export function CategoryRulesEditor(props: RuleEditorProps) {
  const { prefix, rules: r, set } = props;
  return (
    <section aria-labelledby={`${prefix}-categories-heading`}>
      <h3 id={`${prefix}-categories-heading`}>Course categories</h3>
      <p className="setup-hint">
        Where the courses ClassBridge creates go, by subject, year or term. The first rule that fits wins; a course no
        rule fits goes to the category for new courses. A course that already exists is never moved. Find a category’s
        id in Moodle: Site administration › Courses › Manage courses and categories, the number after categoryid= in its
        address.
      </p>
      <ReadCategories {...props} />
      <CourseRules
        props={props}
        ruleKey="courseCategories"
        targetKey="categoryId"
        list={r.categories}
        onChange={(categories) => set({ categories })}
        targetLabel="Put it in category"
        targetHint="The Moodle category’s id (its number)."
        addLabel="Add a category rule"
      />
    </section>
  );
}

export function CourseTemplatesEditor(props: RuleEditorProps) {
  const { prefix, rules: r, set } = props;
  return (
    <section aria-labelledby={`${prefix}-templates-heading`}>
      <h3 id={`${prefix}-templates-heading`}>Courses made from a template</h3>
      <p className="setup-hint">
        A course ClassBridge creates can start as a copy of a template course (its activities and gradebook). The first
        rule that fits wins; a course no rule fits starts empty. The template course’s id is the number after id= in its
        address.
      </p>
      <CourseRules
        props={props}
        ruleKey="courseTemplates"
        targetKey="templateCourseId"
        list={r.courseTemplates}
        onChange={(courseTemplates) => set({ courseTemplates })}
        targetLabel="Copy the template course id"
        targetHint="The Moodle course to copy."
        addLabel="Add a template rule"
      />
    </section>
  );
}

const COHORT_SOURCES = [
  { value: 'yearLevel', label: 'Year level' },
  { value: 'house', label: 'House' },
  { value: 'tutorGroup', label: 'Tutor group' },
  { value: 'class', label: 'Class (one cohort per SMS class)' },
] as const;
const OTHER = '(other)';

export function CohortsEditor(props: RuleEditorProps) {
  const { prefix, rules: r, set } = props;
  const field = fieldFor(props);
  const setRule = (i: number, patch: Partial<RulesDraft['cohorts'][number]>) =>
    set({ cohorts: replaced(r.cohorts, i, patch) });
  return (
    <section aria-labelledby={`${prefix}-cohorts-heading`}>
      <h3 id={`${prefix}-cohorts-heading`}>Cohorts</h3>
      <p className="setup-hint">
        Site-wide groups of people from an SMS field, for example one cohort per year level or house. ClassBridge
        creates the cohorts, adds people, and removes them as the removal choice above says.
      </p>
      {r.cohorts.map((rule, i) => {
        const listed = COHORT_SOURCES.some((s) => s.value === rule.from);
        const rolesId = ruleFieldId(prefix, ['cohorts', 'rules', i, 'roles']);
        return (
          <fieldset className="setup-fieldset" key={i} aria-label={`Cohort rule ${i + 1}`}>
            <legend>Cohort rule {i + 1}</legend>
            <div className="setup-row">
              <SelectField<string>
                id={`${ruleFieldId(prefix, ['cohorts', 'rules', i, 'from'])}-choice`}
                label="One cohort per"
                value={listed ? rule.from : OTHER}
                onChange={(v) => setRule(i, { from: v === OTHER ? '' : v })}
                options={[...COHORT_SOURCES, { value: OTHER, label: 'Another SMS field…' }]}
              />
              {!listed ? (
                <TextField
                  {...field('cohorts', 'rules', i, 'from')}
                  label="SMS field name"
                  placeholder="formClass"
                  value={rule.from}
                  onChange={(from) => setRule(i, { from })}
                />
              ) : null}
              <TextField
                {...field('cohorts', 'rules', i, 'name')}
                label="Cohort name"
                hint="{value} is the field’s value, e.g. Year {value}. Empty: the value itself."
                placeholder="{value}"
                value={rule.name}
                onChange={(name) => setRule(i, { name })}
              />
            </div>
            <fieldset
              className="setup-fieldset"
              id={rolesId}
              aria-invalid={props.errorFor(rolesId) ? true : undefined}
              aria-describedby={props.errorFor(rolesId) ? `${rolesId}-error` : undefined}
            >
              <legend>Who goes in</legend>
              <CheckboxField
                id={`${rolesId}-students`}
                label="Students"
                checked={rule.students}
                onChange={(students) => setRule(i, { students })}
              />
              <CheckboxField
                id={`${rolesId}-staff`}
                label="Staff"
                checked={rule.staff}
                onChange={(staff) => setRule(i, { staff })}
              />
              {props.errorFor(rolesId) ? (
                <span id={`${rolesId}-error`} className="setup-error">
                  <span aria-hidden="true">✕ </span>
                  {props.errorFor(rolesId)}
                </span>
              ) : null}
            </fieldset>
            <RemoveButton
              label={`Remove cohort rule ${i + 1}`}
              onClick={() => set({ cohorts: r.cohorts.filter((_, j) => j !== i) })}
            />
          </fieldset>
        );
      })}
      <button
        type="button"
        className="button-secondary"
        onClick={() => set({ cohorts: [...r.cohorts, { from: 'yearLevel', name: '', students: true, staff: false }] })}
      >
        Add a cohort rule
      </button>
      {r.cohorts.length > 0 ? (
        <CategoryField
          props={props}
          path={['cohorts', 'categoryId']}
          label="Make the cohorts in category (optional)"
          hint="Its id; empty: site-wide cohorts."
          value={r.cohortCategoryId}
          onChange={(cohortCategoryId) => set({ cohortCategoryId })}
          optional
        />
      ) : null}
    </section>
  );
}

export function ParentsEditor(props: RuleEditorProps) {
  const { prefix, rules: r, set } = props;
  const field = fieldFor(props);
  return (
    <section aria-labelledby={`${prefix}-parents-heading`}>
      <h3 id={`${prefix}-parents-heading`}>Parents and guardians</h3>
      <CheckboxField
        id={`${prefix}-parents-enabled`}
        label="Give parents and guardians an account that sees their children"
        hint="Off by default: guardians’ names and emails then go to the LMS. Each gets the parent role on each child’s profile (their grades and activity, nobody else’s), removed when the link goes."
        checked={r.parentsEnabled}
        onChange={(parentsEnabled) => set({ parentsEnabled })}
      />
      {r.parentsEnabled ? (
        <div className="setup-row">
          <TextField
            {...field('parents', 'roleId')}
            label="The parent role’s id"
            hint="Moodle lists no roles: Site administration › Users › Define roles, a role that may be assigned in the User context; the number after roleid= in its address."
            inputMode="numeric"
            value={r.parentRoleId}
            onChange={(parentRoleId) => set({ parentRoleId })}
          />
          <TextField
            {...field('parents', 'relationships')}
            label="Relationships that count (optional)"
            hint="Separated by commas, e.g. parent, guardian. Empty: every relationship the SMS gives."
            value={r.parentRelationships}
            onChange={(parentRelationships) => set({ parentRelationships })}
          />
        </div>
      ) : null}
    </section>
  );
}

/** Every editor above, in a collapsible "More rules" area (open from the start where a rule is set). */
export function MoreRules(props: RuleEditorProps & { open?: boolean }) {
  const r = props.rules;
  const anySet =
    r.endedCourses !== 'keep' ||
    r.pauseWindows.length > 0 ||
    r.betweenTerms ||
    r.categories.length > 0 ||
    r.cohorts.length > 0 ||
    r.parentsEnabled ||
    r.courseTemplates.length > 0;
  // Opened or closed by the admin from then on (never shut under them when the last rule is removed).
  const [open, setOpen] = useState(props.open ?? anySet);
  return (
    <details className="rules-more" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>More rules: term dates, categories, cohorts, parents, course templates</summary>
      <LifecycleEditor {...props} />
      <CategoryRulesEditor {...props} />
      <CourseTemplatesEditor {...props} />
      <CohortsEditor {...props} />
      <ParentsEditor {...props} />
    </details>
  );
}
