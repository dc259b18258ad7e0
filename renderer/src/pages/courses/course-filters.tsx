import type { CourseState } from '../../../../electron/core/model';

export type StateFilter = 'all' | Exclude<CourseState, 'Deleted'>;

export interface CourseFilterValues {
  search: string;
  state: StateFilter;
  showDeleted: boolean;
  /** One LMS connection's courses, or '' for every LMS. */
  connectionId: string;
}

export const DEFAULT_COURSE_FILTERS: CourseFilterValues = {
  search: '',
  state: 'all',
  showDeleted: false,
  connectionId: '',
};

/** The states to ask the engine for. Deleted courses stay hidden unless the admin asks for them. */
export function statesFor(filters: CourseFilterValues): CourseState[] {
  const visible: CourseState[] = filters.state === 'all' ? ['New', 'Open', 'Closed'] : [filters.state];
  return filters.showDeleted ? [...visible, 'Deleted'] : visible;
}

export function CourseFilters({
  value,
  onChange,
  lmsConnections,
}: {
  value: CourseFilterValues;
  onChange: (next: CourseFilterValues) => void;
  /** The LMS connections to choose from; the choice only appears when there is more than one. */
  lmsConnections: readonly { id: string; name: string }[];
}) {
  return (
    <search className="filters">
      <label className="field">
        <span>Search</span>
        <input
          type="search"
          value={value.search}
          maxLength={200}
          placeholder="Name, short name or ID number"
          onChange={(event) => onChange({ ...value, search: event.target.value })}
        />
      </label>
      <label className="field">
        <span>State</span>
        <select
          value={value.state}
          onChange={(event) => onChange({ ...value, state: event.target.value as StateFilter })}
        >
          <option value="all">All</option>
          <option value="New">New</option>
          <option value="Open">Open</option>
          <option value="Closed">Closed</option>
        </select>
      </label>
      {lmsConnections.length > 1 && (
        <label className="field">
          <span>LMS</span>
          <select
            value={value.connectionId}
            onChange={(event) => onChange({ ...value, connectionId: event.target.value })}
          >
            <option value="">All</option>
            {lmsConnections.map((connection) => (
              <option key={connection.id} value={connection.id}>
                {connection.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="checkbox-field">
        <input
          type="checkbox"
          checked={value.showDeleted}
          onChange={(event) => onChange({ ...value, showDeleted: event.target.checked })}
        />
        Show deleted courses
      </label>
    </search>
  );
}
