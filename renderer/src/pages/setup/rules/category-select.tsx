/**
 * A Moodle course category chosen by name where the site listed its categories (connections:accountFacts),
 * else typed as its id. The rules editor's category fields and the mapping step's "category for new
 * courses" share it. A saved id the list lacks stays choosable (the site may hide it from this token).
 */
import { SelectField, TextField } from '../fields';

export interface CategoryChoiceProps {
  id: string;
  error?: string | undefined;
  onBlur?: () => void;
  /** Shown when the categories are listed (chosen by name). */
  label: string;
  /** Shown when they are not (the id is typed), with its hint. */
  typedLabel?: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  categories?: readonly { id: number; name: string }[] | undefined;
  /** The first choice, meaning "no category". */
  emptyLabel: string;
}

export function CategoryChoice(props: CategoryChoiceProps) {
  const { id, error, onBlur, label, typedLabel, hint, value, onChange, emptyLabel } = props;
  const list = props.categories ?? [];
  if (list.length === 0)
    return (
      <TextField
        id={id}
        error={error}
        onBlur={onBlur}
        label={typedLabel ?? label}
        hint={hint}
        inputMode="numeric"
        value={value}
        onChange={onChange}
      />
    );
  const known = value === '' || list.some((c) => String(c.id) === value);
  return (
    <SelectField<string>
      id={id}
      error={error}
      onBlur={onBlur}
      label={label}
      value={value}
      onChange={onChange}
      options={[
        { value: '', label: emptyLabel },
        ...list.map((c) => ({ value: String(c.id), label: c.name })),
        ...(known ? [] : [{ value, label: `Category id ${value} (not in the site’s list)` }]),
      ]}
    />
  );
}

/** "Read the site's categories": the same read as the sign-in part's, which brings the category names. */
export function ReadCategoriesButton({
  categories,
  onReadSite,
  reading,
  tried,
}: {
  categories?: readonly { id: number; name: string }[] | undefined;
  onReadSite?: (() => void) | undefined;
  reading?: boolean | undefined;
  /** The site was read and listed no categories: say why the id is still typed. */
  tried?: boolean | undefined;
}) {
  if (!onReadSite || (categories?.length ?? 0) > 0) return null;
  return (
    <p className="setup-hint">
      <button type="button" className="button-secondary" onClick={onReadSite} disabled={reading}>
        {reading ? 'Reading…' : 'Read the site’s categories'}
      </button>{' '}
      {tried && !reading
        ? 'The site did not list its categories to this token (its web service needs core_course_get_categories): type the category’s id, or add the function and read again.'
        : 'To choose categories by name; otherwise type the id.'}
    </p>
  );
}
