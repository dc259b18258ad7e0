import type { ApiOutput } from '../../../electron/core/contract/contract';

type Records = NonNullable<ApiOutput<'sync:preview'>['records']>;
type Row = Records['people'][number];

const KINDS: { kind: keyof Records; title: string }[] = [
  { kind: 'people', title: 'People' },
  { kind: 'courses', title: 'Courses' },
  { kind: 'enrolments', title: 'Enrolments' },
  { kind: 'classes', title: 'Classes' },
];

/** The status in words; the badge's look follows the health badges (warning for removals and skips). */
const STATUS: Record<Row['status'], { words: string; tone: string }> = {
  create: { words: 'Create', tone: 'health-running' },
  link: { words: 'Link to existing', tone: 'health-ok' },
  update: { words: 'Update', tone: 'health-running' },
  reactivate: { words: 'Reactivate', tone: 'health-running' },
  suspend: { words: 'Suspend', tone: 'health-warning' },
  remove: { words: 'Remove', tone: 'health-warning' },
  skip: { words: 'Skip', tone: 'health-never-run' },
};

/**
 * The dry run's table of records (sync:preview `records`), like Moodle's own upload preview: per kind
 * the first records with what the upload does to each — create, link to an existing account, update
 * with the field diff, skip and why. A kind the upload does nothing to is left out.
 */
export function PreviewRecords({ records, lmsName }: { records: Records | undefined; lmsName?: string | undefined }) {
  if (!records) return null;
  const kinds = KINDS.filter(({ kind }) => records[kind].length > 0);
  if (kinds.length === 0) return null;
  return (
    <div className="preview-records">
      <h4>First records and what happens to each</h4>
      {kinds.map(({ kind, title }) => (
        <div key={kind} className="table-scroll">
          <table aria-label={`${title} in the dry run${lmsName ? ` for ${lmsName}` : ''}`}>
            <caption className="preview-records-caption">
              {title} (first {records[kind].length})
            </caption>
            <thead>
              <tr>
                <th scope="col">Record</th>
                <th scope="col">Status</th>
                <th scope="col">What happens</th>
              </tr>
            </thead>
            <tbody>
              {records[kind].map((row) => (
                <tr key={`${row.status}-${row.key}`}>
                  <th scope="row">{row.name}</th>
                  <td>
                    <span className={`health-badge ${STATUS[row.status].tone}`}>{STATUS[row.status].words}</span>
                  </td>
                  <td>
                    {row.status === 'update' && row.changes && row.changes.length > 0 ? (
                      <ul className="plain-list">
                        {row.changes.map((c) => (
                          <li key={c.field}>
                            {c.field}: <del>{c.from}</del> → <ins>{c.to}</ins>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      row.detail
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
