import { useEffect } from 'react';
import { WEEKDAYS } from '../../../../electron/core/model';
import type { ScheduleDraft, Weekday } from './draft';
import { CheckboxField, FieldError, RadioGroup, TextField } from './fields';
import { smsSetupOf } from './provider-routes';
import { TimeZoneField } from './time-zone-field';
import type { WizardStepProps } from './wizard-context';

const DAY_LABELS: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export function ExportStep(props: WizardStepProps) {
  const { draft, update, errorFor, touch, providers } = props;
  const provider = draft.useSms && draft.sms.provider ? draft.sms.provider : undefined;
  const info = provider ? smsSetupOf(providers, provider) : undefined;
  const effect = info?.results;
  const takesNone = info !== undefined && !info.takesResults;
  // An SMS that takes no results back is never "sent" any: an answer kept from another SMS is dropped.
  useEffect(() => {
    if (takesNone && draft.autoExport) update((d) => ({ ...d, autoExport: false }));
  }, [takesNone, draft.autoExport, update]);

  return (
    <>
      <section aria-labelledby="results-heading">
        <h3 id="results-heading">Results</h3>
        {info && !info.takesResults ? (
          <p id="results-by-hand">
            {info.label} takes no results back from ClassBridge, so there is nothing to send: results are written to
            results.csv in ClassBridge’s data folder, for someone to import into {info.label} by hand.
          </p>
        ) : info && effect ? (
          <>
            <CheckboxField
              id="auto-export"
              label={`Send results back to ${info.label} automatically`}
              checked={draft.autoExport}
              onChange={(autoExport) => update((d) => ({ ...d, autoExport }))}
              hint={`ClassBridge then writes ${effect.where}${draft.autoExport ? '' : ' While this is off, results go to results.csv in ClassBridge’s data folder only.'}`}
            />
            {effect.overwrites ? (
              <p
                className={`notice ${draft.autoExport ? 'notice-problem' : 'notice-warning'}`}
                role="note"
                id="auto-export-warning"
              >
                <span>
                  <span className="notice-icon" aria-hidden="true">
                    !
                  </span>
                  <strong>This overwrites values already in {info.label}.</strong> {effect.overwrites}
                </span>
              </p>
            ) : null}
            {draft.autoExport && info.asksOutcomeRule ? (
              <TextField
                id="pass-percent"
                label="Competent at a course grade of at least (%)"
                hint="The outcome rule is your call: at or above this grade a completed enrolment gets outcome 20 (competent), below it 30, unfinished 70."
                inputMode="numeric"
                value={draft.passPercent}
                error={errorFor('pass-percent')}
                onBlur={() => touch('pass-percent')}
                onChange={(passPercent) => update((d) => ({ ...d, passPercent }))}
              />
            ) : null}
            {draft.autoExport ? (
              <TextField
                id="results-folder"
                label="Results folder (optional)"
                className="setup-wide"
                hint="Where the results files are written; empty: ClassBridge’s data folder."
                value={draft.resultsFolder}
                error={errorFor('results-folder')}
                onBlur={() => touch('results-folder')}
                onChange={(resultsFolder) => update((d) => ({ ...d, resultsFolder }))}
              />
            ) : null}
          </>
        ) : (
          <p>Without an SMS, results are written to results.csv in ClassBridge’s data folder.</p>
        )}
      </section>

      <section aria-labelledby="schedule-heading">
        <h3 id="schedule-heading">Schedule</h3>
        <TimeZoneField
          id="time-zone"
          value={draft.timeZone}
          error={errorFor('time-zone')}
          onBlur={() => touch('time-zone')}
          onChange={(timeZone) => update((d) => ({ ...d, timeZone }))}
          provider={provider}
        />
        <ScheduleEditor
          {...props}
          which="upload"
          legend="Upload (SMS → LMS: profiles, courses, enrolments)"
          schedule={draft.uploadSchedule}
          set={(schedule) => update((d) => ({ ...d, uploadSchedule: schedule }))}
        />
        <ScheduleEditor
          {...props}
          which="download"
          legend="Download (LMS → SMS: results)"
          schedule={draft.downloadSchedule}
          set={(schedule) => update((d) => ({ ...d, downloadSchedule: schedule }))}
        />
      </section>
    </>
  );
}

function ScheduleEditor({
  which,
  legend,
  schedule,
  set,
  errorFor,
  touch,
}: WizardStepProps & {
  which: 'upload' | 'download';
  legend: string;
  schedule: ScheduleDraft;
  set: (schedule: ScheduleDraft) => void;
}) {
  const change = (patch: Partial<ScheduleDraft>) => set({ ...schedule, ...patch });
  const daysError = errorFor(`${which}-days`);
  return (
    <fieldset className="setup-fieldset setup-schedule">
      <legend>{legend}</legend>
      <RadioGroup<ScheduleDraft['kind']>
        id={`${which}-kind`}
        legend="Runs"
        value={schedule.kind}
        onChange={(kind) => change({ kind })}
        options={[
          { value: 'interval', label: 'Every N minutes' },
          { value: 'window', label: 'In a weekly window' },
        ]}
      />
      {schedule.kind === 'interval' ? (
        <TextField
          id={`${which}-minutes`}
          label="Every (minutes)"
          inputMode="numeric"
          value={schedule.minutes}
          error={errorFor(`${which}-minutes`)}
          onBlur={() => touch(`${which}-minutes`)}
          onChange={(minutes) => change({ minutes })}
        />
      ) : (
        <>
          <fieldset
            className="setup-fieldset setup-days"
            id={`${which}-days`}
            aria-describedby={daysError ? `${which}-days-error` : undefined}
          >
            <legend>Days</legend>
            {WEEKDAYS.map((day) => (
              <span key={day} className="setup-checkbox">
                <input
                  type="checkbox"
                  id={`${which}-day-${day}`}
                  checked={schedule.days.includes(day)}
                  onChange={(event) => {
                    touch(`${which}-days`);
                    change({
                      days: event.target.checked
                        ? WEEKDAYS.filter((d) => d === day || schedule.days.includes(d))
                        : schedule.days.filter((d) => d !== day),
                    });
                  }}
                />
                <label htmlFor={`${which}-day-${day}`}>{DAY_LABELS[day]}</label>
              </span>
            ))}
            <FieldError id={`${which}-days`} error={daysError} />
          </fieldset>
          <div className="setup-row">
            <TextField
              id={`${which}-start`}
              label="From (HH:MM)"
              placeholder="22:00"
              value={schedule.start}
              error={errorFor(`${which}-start`)}
              onBlur={() => touch(`${which}-start`)}
              onChange={(start) => change({ start })}
            />
            <TextField
              id={`${which}-end`}
              label="Until (HH:MM)"
              placeholder="23:59"
              value={schedule.end}
              error={errorFor(`${which}-end`)}
              onBlur={() => touch(`${which}-end`)}
              onChange={(end) => change({ end })}
            />
          </div>
        </>
      )}
    </fieldset>
  );
}

export function describeSchedule(schedule: ScheduleDraft, timeZone: string): string {
  if (schedule.kind === 'interval') return `every ${schedule.minutes} minutes`;
  return `${schedule.days.map((d) => DAY_LABELS[d]).join(', ')} ${schedule.start}–${schedule.end} (${timeZone})`;
}
