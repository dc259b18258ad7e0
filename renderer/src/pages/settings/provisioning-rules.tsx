/**
 * Settings → Provisioning rules: per LMS connection, every rule of its mapping (name templates, sign-in,
 * profile fields, term lifecycle, categories, cohorts, parents, course templates) with the wizard's own
 * editors, the preview on the school's records before saving, and Save (connections:save with the edited
 * mapping; the rest of the connection as it is). After saving, the editors show what the engine saved.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { LmsConnection } from '../../../../electron/core/model';
import { useApi } from '../../api/api-context';
import { queryKeys } from '../../api/query-keys';
import { mappingDraftFrom, type LmsDraft, type MappingDraft } from '../setup/draft';
import { SelectField, TextField } from '../setup/fields';
import { CourseTemplateFields, PersonTemplateFields } from '../setup/rules/name-template-fields';
import { MoreRules } from '../setup/rules/rule-editors';
import { RulesPreview } from '../setup/rules/rules-preview';
import { ProfileFieldsEditor, SignInFields, useAccountFacts } from '../setup/sign-in-fields';
import { mappingErrors, mergeMapping } from '../setup/validate';

export function ProvisioningRules({ connections }: { connections: LmsConnection[] }) {
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  // Kept here: the editor below starts again (a new key) once the saved rules come back.
  const [saved, setSaved] = useState<string | undefined>(undefined);
  const connection = connections.find((c) => c.id === chosen) ?? connections[0];
  if (!connection) return <p>No LMS connection yet: add one in the setup wizard.</p>;
  return (
    <>
      {connections.length > 1 ? (
        <SelectField<string>
          id="rules-for"
          label="Rules for"
          hint="Each LMS has its own rules."
          value={connection.id}
          onChange={(id) => {
            setChosen(id);
            setSaved(undefined);
          }}
          options={connections.map((c) => ({ value: c.id, label: c.name }))}
        />
      ) : null}
      {/* A new key when the saved mapping changes: the editors start again from what the engine saved. */}
      <RulesEditor
        key={`${connection.id}:${JSON.stringify(connection.mapping)}`}
        connection={connection}
        onSaved={() => setSaved(connection.id)}
        onEdit={() => setSaved(undefined)}
      />
      {saved === connection.id ? (
        <p className="notice notice-ok" role="status">
          Saved the rules for {connection.name}. The next upload uses them.
        </p>
      ) : null}
    </>
  );
}

function RulesEditor({
  connection,
  onSaved,
  onEdit,
}: {
  connection: LmsConnection;
  onSaved: () => void;
  onEdit: () => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [mapping, setMapping] = useState<MappingDraft>(() => mappingDraftFrom(connection.mapping));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const lms: LmsDraft = useMemo(
    () => ({
      key: connection.id,
      id: connection.id,
      saved: true,
      provider: connection.provider,
      name: connection.name,
      url: connection.url,
      mapping,
    }),
    [connection, mapping],
  );
  const accounts = useAccountFacts(lms, {});
  const errors = mappingErrors(lms);
  const problems = Object.values(errors);
  // The ids validate.ts mappingErrors gives its errors (mapping-<key>-…), so each lands on its control.
  const prefix = `mapping-${lms.key}`;
  const errorFor = (id: string) => (submitted || touched.has(id) ? errors[id] : undefined);
  const touch = (id: string) => setTouched((t) => (t.has(id) ? t : new Set(t).add(id)));
  const field = (name: string) => ({
    id: `${prefix}-${name}`,
    error: errorFor(`${prefix}-${name}`),
    onBlur: () => touch(`${prefix}-${name}`),
  });
  const set = (patch: Partial<MappingDraft>) => {
    onEdit();
    setMapping((m) => ({ ...m, ...patch }));
  };

  const save = useMutation({
    mutationFn: () =>
      api.call('connections:save', { ...connection, mapping: mergeMapping(connection.mapping, mapping) }),
    onSuccess: async () => {
      onSaved();
      await queryClient.invalidateQueries({ queryKey: queryKeys.connections });
    },
  });

  function onSave() {
    setSubmitted(true);
    if (problems.length > 0) {
      // To the first control with an error, so the keyboard lands where the fix is.
      const first = Object.keys(errors)[0];
      if (first) document.getElementById(first)?.focus();
      return;
    }
    save.mutate();
  }

  return (
    <form
      aria-label={`Provisioning rules for ${connection.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        onSave();
      }}
    >
      <div className="setup-columns">
        <div>
          <h3>Names of people</h3>
          <PersonTemplateFields mapping={mapping} set={set} field={field} />
        </div>
        <div>
          <h3>Names of courses</h3>
          <CourseTemplateFields mapping={mapping} set={set} field={field} />
          <TextField
            {...field('category')}
            label="Category id for new courses (optional)"
            inputMode="numeric"
            hint="SMS courses the LMS lacks that no category rule below fits are created here; empty: those are not created."
            value={mapping.categoryId}
            onChange={(categoryId) => set({ categoryId })}
          />
        </div>
      </div>
      <SignInFields
        prefix={prefix}
        mapping={mapping}
        set={set}
        field={field}
        facts={accounts.facts}
        onRead={() => void accounts.read()}
        reading={accounts.reading}
      />
      <ProfileFieldsEditor prefix={prefix} mapping={mapping} set={set} field={field} facts={accounts.facts} />
      <MoreRules
        prefix={prefix}
        rules={mapping.rules}
        set={(patch) => set({ rules: { ...mapping.rules, ...patch } })}
        errorFor={errorFor}
        touch={touch}
        categories={accounts.facts?.categories}
        onReadSite={() => void accounts.read()}
        reading={accounts.reading}
        open
      />
      <RulesPreview
        connectionId={connection.id}
        mapping={problems.length === 0 ? mergeMapping(connection.mapping, mapping) : undefined}
        problems={problems}
        headingId={`${prefix}-preview-heading`}
      />
      <div className="toolbar">
        <button type="submit" className="button-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : `Save the rules for ${connection.name}`}
        </button>
        {submitted && problems.length > 0 ? (
          <span className="inline-error" role="alert">
            {problems.length === 1 ? 'One rule needs fixing' : `${problems.length} rules need fixing`}: see the marked
            fields.
          </span>
        ) : null}
        {save.isError ? (
          <span className="inline-error" role="alert">
            Could not save: {save.error.message}
          </span>
        ) : null}
      </div>
    </form>
  );
}
