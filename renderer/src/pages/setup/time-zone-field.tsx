import { useState } from 'react';
import type { SmsProvider } from '../../../../electron/core/model';
import { FieldError, FieldHint } from './fields';
import { allTimeZones, matchesSearch, orderTimeZones, timeZoneLabel } from './time-zones';

function computerTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The school's time zone, chosen from the zones the runtime knows (Intl.supportedValuesOf), the likely
 * ones first; a search box narrows the list by city or region. No zone name has to be typed exactly.
 */
export function TimeZoneField({
  id,
  value,
  onChange,
  error,
  onBlur,
  provider,
}: {
  id: string;
  value: string;
  onChange: (zone: string) => void;
  error?: string | undefined;
  onBlur?: () => void;
  provider: SmsProvider | undefined;
}) {
  const [search, setSearch] = useState('');
  // The order is fixed while the step is open: choosing a zone must not move it under the pointer.
  const [{ likely, rest }] = useState(() =>
    orderTimeZones(allTimeZones(), { current: value, computer: computerTimeZone(), provider }),
  );
  const shown = (zones: string[]) => zones.filter((zone) => zone === value || matchesSearch(zone, search));
  const likelyShown = shown(likely);
  const restShown = shown(rest);
  const found = [...likely, ...rest].filter((zone) => matchesSearch(zone, search)).length;
  return (
    <div className="setup-field time-zone-field">
      <label htmlFor={`${id}-search`}>Find a time zone</label>
      <input
        id={`${id}-search`}
        type="search"
        value={search}
        placeholder="City or region, for example Auckland"
        aria-describedby={`${id}-search-count`}
        onChange={(event) => setSearch(event.target.value)}
      />
      <span id={`${id}-search-count`} className="setup-hint" aria-live="polite">
        {search.trim() ? (found === 0 ? 'No time zone matches.' : `${found} found.`) : ''}
      </span>
      <label htmlFor={id}>School time zone</label>
      <FieldHint id={id}>Weekly windows and the dates ClassBridge shows are in this time zone.</FieldHint>
      <select
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={[`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
        onChange={(event) => {
          onChange(event.target.value);
          onBlur?.();
        }}
        onBlur={onBlur}
      >
        {value === '' && <option value="">Choose a time zone</option>}
        {likelyShown.length > 0 && (
          <optgroup label="Likely for your school">
            {likelyShown.map((zone) => (
              <option key={zone} value={zone}>
                {timeZoneLabel(zone)}
              </option>
            ))}
          </optgroup>
        )}
        {restShown.length > 0 && (
          <optgroup label="All time zones">
            {restShown.map((zone) => (
              <option key={zone} value={zone}>
                {timeZoneLabel(zone)}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      <FieldError id={id} error={error} />
    </div>
  );
}
