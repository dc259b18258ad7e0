import type { LmsConnection } from '../../../../electron/core/model';
import { useConnections, useSettings } from '../../api/queries';
import { EngineErrorState, LoadingState } from '../../components/query-states';
import { ConnectionsTable } from './connections-table';
import { AlertsSettings } from './alerts-settings';
import { DatabaseBackups } from './database-backups';
import { LeftAlonePeople } from './left-alone-people';
import { ProvisioningRules } from './provisioning-rules';
import { SettingsSummary } from './settings-summary';
import { UpdateStatusLine } from './update-status-line';

export function SettingsPage() {
  const settings = useSettings();
  const connections = useConnections();

  return (
    <>
      <h1 tabIndex={-1}>Settings</h1>
      <p className="page-intro">
        Change these in the <a href="#/setup">setup wizard</a>, or from a terminal with{' '}
        <code>classbridge config export</code> / <code>config import</code>.
      </p>

      <section className="panel" aria-labelledby="general-heading">
        <h2 id="general-heading">General</h2>
        {settings.isPending ? (
          <LoadingState>Loading settings…</LoadingState>
        ) : settings.isError ? (
          <EngineErrorState error={settings.error} onRetry={() => void settings.refetch()} />
        ) : (
          <SettingsSummary settings={settings.data} />
        )}
        <UpdateStatusLine />
      </section>

      <section className="panel" aria-labelledby="connections-heading">
        <h2 id="connections-heading">Connections</h2>
        {connections.isPending ? (
          <LoadingState>Loading connections…</LoadingState>
        ) : connections.isError ? (
          <EngineErrorState error={connections.error} onRetry={() => void connections.refetch()} />
        ) : connections.data.length === 0 ? (
          <p>No connections yet.</p>
        ) : (
          <ConnectionsTable connections={connections.data} />
        )}
      </section>

      {connections.data?.some((c) => c.kind === 'lms') ? (
        <section className="panel" aria-labelledby="rules-heading">
          <h2 id="rules-heading">Provisioning rules</h2>
          <p className="setup-hint">
            How people, courses, cohorts and parents are made in each LMS. Preview them on your records, then save.
          </p>
          <ProvisioningRules connections={connections.data.filter((c): c is LmsConnection => c.kind === 'lms')} />
        </section>
      ) : null}

      <section className="panel" aria-labelledby="left-alone-heading">
        <h2 id="left-alone-heading">People left alone</h2>
        <LeftAlonePeople
          lmsNames={new Map((connections.data ?? []).map((connection) => [connection.id, connection.name]))}
        />
      </section>

      <section className="panel" aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">Alerts</h2>
        <AlertsSettings />
      </section>

      <section className="panel" aria-labelledby="database-heading">
        <h2 id="database-heading">Database</h2>
        <DatabaseBackups />
      </section>
    </>
  );
}
