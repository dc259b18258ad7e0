import type { Connection } from '../../../../electron/core/model';
import { useProviders } from '../../api/use-providers';
import { describeLifecycle } from './describe-lifecycle';

export function ConnectionsTable({ connections }: { connections: Connection[] }) {
  // Provider names come from the engine's descriptors (`providers:list`); the id stands in until then.
  const providers = useProviders();
  const label = (connection: Connection): string =>
    providers.data?.[connection.kind].find((p) => p.id === connection.provider)?.label ?? connection.provider;
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
            <th scope="col">Term lifecycle</th>
          </tr>
        </thead>
        <tbody>
          {connections.map((connection) => (
            <tr key={connection.id}>
              <td>{connection.kind === 'sms' ? 'SMS' : 'LMS'}</td>
              <td>{label(connection)}</td>
              <th scope="row">{connection.name}</th>
              <td>{connection.kind === 'lms' ? connection.url : <span className="muted">—</span>}</td>
              <td>
                {connection.kind === 'lms' ? (
                  describeLifecycle(connection.mapping.lifecycle)
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
