/** The filters the Progress and Results pages share: a course chooser and a search box. */

export function CourseFilter({
  value,
  options,
  onChange,
}: {
  value: string;
  /** [key, name] pairs, in the order shown. */
  options: readonly (readonly [string, string])[];
  onChange: (value: string) => void;
}) {
  return (
    <label className="field">
      <span>Course</span>
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="all">All courses</option>
        {options.map(([key, name]) => (
          <option key={key} value={key}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function SearchField({
  value,
  placeholder,
  onChange,
}: {
  value: string;
  placeholder: string;
  onChange: (value: string) => void;
}) {
  return (
    <label className="field">
      <span>Search</span>
      <input
        type="search"
        value={value}
        maxLength={200}
        placeholder={placeholder}
        onChange={(event) => onChange(event.target.value)}
      />
    </label>
  );
}
