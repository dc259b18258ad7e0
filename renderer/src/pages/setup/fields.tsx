import type { ReactNode } from 'react';

/**
 * Labelled controls for the wizard. A hint and an error are tied to the control with
 * aria-describedby, the control is aria-invalid while its error shows, and the error text carries
 * a symbol as well as colour.
 */
interface FieldBase {
  id: string;
  label: string;
  hint?: ReactNode;
  /** Shown only once the field was left or the admin tried to go on (the caller decides). */
  error?: string | undefined;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function FieldHint({ id, children }: { id: string; children: ReactNode }) {
  return (
    <span id={`${id}-hint`} className="setup-hint">
      {children}
    </span>
  );
}

export function FieldError({ id, error }: { id: string; error?: string | undefined }) {
  if (!error) return null;
  return (
    <span id={`${id}-error`} className="setup-error">
      <span aria-hidden="true">✕ </span>
      {error}
    </span>
  );
}

export function TextField({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  onBlur,
  type = 'text',
  autoComplete = 'off',
  inputMode,
  placeholder,
  className,
  list,
}: FieldBase & {
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  type?: 'text' | 'password' | 'url' | 'time';
  autoComplete?: string;
  inputMode?: 'numeric' | 'url' | 'text';
  placeholder?: string;
  className?: string;
  list?: string;
}) {
  return (
    <div className={`setup-field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint ? <FieldHint id={id}>{hint}</FieldHint> : null}
      <input
        id={id}
        type={type}
        value={value}
        autoComplete={autoComplete}
        spellCheck={false}
        inputMode={inputMode}
        placeholder={placeholder}
        list={list}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(event) => onChange(event.target.value)}
        onBlur={onBlur}
      />
      <FieldError id={id} error={error} />
    </div>
  );
}

export function SelectField<T extends string>({
  id,
  label,
  hint,
  error,
  value,
  options,
  onChange,
  onBlur,
}: FieldBase & {
  value: T | '';
  options: readonly { value: T | ''; label: string; disabled?: boolean }[];
  onChange: (value: T) => void;
  onBlur?: () => void;
}) {
  return (
    <div className="setup-field">
      <label htmlFor={id}>{label}</label>
      {hint ? <FieldHint id={id}>{hint}</FieldHint> : null}
      <select
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(event) => {
          onChange(event.target.value as T);
          // A choice is complete when made: check it now rather than when the list is left.
          onBlur?.();
        }}
        onBlur={onBlur}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldError id={id} error={error} />
    </div>
  );
}

export function RadioGroup<T extends string>({
  id,
  legend,
  hint,
  error,
  value,
  options,
  onChange,
}: {
  id: string;
  legend: string;
  hint?: ReactNode;
  error?: string | undefined;
  value: T;
  options: readonly { value: T; label: string; disabled?: boolean; note?: ReactNode }[];
  onChange: (value: T) => void;
}) {
  return (
    <fieldset
      className="setup-fieldset"
      id={id}
      aria-describedby={describedBy(id, hint, error)}
      aria-invalid={error ? true : undefined}
    >
      <legend>{legend}</legend>
      {hint ? <FieldHint id={id}>{hint}</FieldHint> : null}
      {options.map((option) => (
        <div key={option.value} className="setup-radio">
          <input
            type="radio"
            id={`${id}-${option.value}`}
            name={id}
            value={option.value}
            checked={value === option.value}
            disabled={option.disabled}
            aria-describedby={option.note ? `${id}-${option.value}-note` : undefined}
            onChange={() => onChange(option.value)}
          />
          <label htmlFor={`${id}-${option.value}`}>{option.label}</label>
          {option.note ? (
            <span id={`${id}-${option.value}-note`} className="setup-hint">
              {option.note}
            </span>
          ) : null}
        </div>
      ))}
      <FieldError id={id} error={error} />
    </fieldset>
  );
}

export function CheckboxField({
  id,
  label,
  hint,
  checked,
  onChange,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div className="setup-checkbox">
      <input
        type="checkbox"
        id={id}
        checked={checked}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
      <label htmlFor={id}>{label}</label>
      {hint ? <FieldHint id={id}>{hint}</FieldHint> : null}
    </div>
  );
}
