import { PART_LABELS, type RunError } from '../../../../electron/core/model';
import { formatDateTime } from '../../format/format-date-time';

export function ErrorsTable({ errors }: { errors: RunError[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Sync errors</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Part</th>
            <th scope="col">Record</th>
            <th scope="col">Course</th>
            <th scope="col">Message</th>
            <th scope="col">What to do</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((error) => (
            <tr key={error.id}>
              <td className="nowrap">{formatDateTime(error.createdAt)}</td>
              <td>{PART_LABELS[error.part]}</td>
              <td>
                <span className="muted">{error.recordKind}</span> {error.recordKey}
              </td>
              <td>{error.course ?? <span className="muted">—</span>}</td>
              <td>{error.message}</td>
              <td>{error.fix}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
