import type { Connection } from '../../../../electron/core/model';
import { providerLabel } from '../../format/labels';

export function ConnectionsTable({ connections }: { connections: Connection[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Connections</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Provider</th>
            <th scope="col">Name</th>
            <th scope="col">Address</th>
          </tr>
        </thead>
        <tbody>
          {connections.map((connection) => (
            <tr key={connection.id}>
              <td>{connection.kind === 'sms' ? 'SMS' : 'LMS'}</td>
              <td>{providerLabel(connection.kind, connection.provider)}</td>
              <th scope="row">{connection.name}</th>
              <td>{connection.kind === 'lms' ? connection.url : <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
