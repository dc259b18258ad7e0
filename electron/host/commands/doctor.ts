import { accessSync, constants, existsSync } from 'node:fs';
import type { ConnectionTestResult } from '../../core/contract/contract';
import { testLmsConnection } from '../../core/lms/test-connection';
import { lmsProviderSetups } from '../../../adapters/lms/registry';
import { smsConnectionProblem } from '../../../adapters/sms/registry';
import { SMS_PROVIDER_INFO } from '../../core/model';
import Database from 'better-sqlite3';
import { databaseFile } from '../../core/paths/data-dir';
import { sqliteCode, StoreError } from '../../core/store/errors';
import { describeDamage, integrityCheck, listBackups, type IntegrityReport } from '../../core/store/integrity';
import type { Engine } from '../../core/engine/engine';
import { createEngine } from '../../core/engine/engine';
import { CommandFailed, type Output } from './output';
import { readinessChecks } from './doctor-readiness';

// The capabilities a probe cannot reach; doctor says what to check by hand.
const LMS_CAPABILITY_NOTE =
  "the token's role also needs the view capability of each activity type in use (mod/assign:view, mod/quiz:view, …) and report/progress:view; these cannot be probed.";

export interface Check {
  check: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

/** `classbridge doctor`: checks everything it can reach and says what is wrong and how to fix it. */
export async function doctorCommand(dataDir: string, out: Output): Promise<void> {
  const checks: Check[] = [];
  checks.push(checkDataDir(dataDir));
  let engine: Engine | undefined;
  try {
    engine = createEngine({ dataDir, mode: 'one-shot' });
    checks.push(checkDatabase(engine), checkBackups(engine));
  } catch (err) {
    const damaged = damagedBeyondOpening(dataDir, err);
    if (damaged) checks.push(damaged);
    const detail = err instanceof Error ? err.message : String(err);
    if (!damaged)
      checks.push({
        check: 'Database',
        ok: false,
        detail,
        ...(err instanceof StoreError ? {} : { fix: 'See the log.' }),
      });
  }
  if (engine) {
    try {
      checks.push(await checkKeychain(engine));
      checks.push(...(await checkConnections(engine)));
      // Whether each Open course's results can come out right (one gradebook read per course).
      checks.push(...(await readinessChecks(engine)));
    } finally {
      await engine.close();
    }
  }
  const failed = checks.filter((c) => !c.ok).length;
  out.result({ ok: failed === 0, checks }, () => {
    for (const c of checks) {
      out.line(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}`);
      if (c.fix) out.line(`     fix: ${c.fix}`);
    }
    if (checks.some((c) => c.check.startsWith('LMS '))) out.line(`note: ${LMS_CAPABILITY_NOTE}`);
    out.line(failed === 0 ? 'Everything ClassBridge can check from here is fine.' : `${failed} check(s) failed.`);
  });
  if (failed > 0) throw new CommandFailed(`${failed} check(s) failed`, { reported: true });
}

/**
 * The engine would not even open (a damaged page in a table it reads at start, such as the runs it
 * closes): the same full check on the file itself, read-only, so doctor still says what is damaged.
 */
function damagedBeyondOpening(dataDir: string, err: unknown): Check | undefined {
  const code = sqliteCode(err) ?? '';
  if (!code.startsWith('SQLITE_CORRUPT')) return undefined;
  const file = databaseFile(dataDir);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const report = integrityCheck(db);
    return report.ok ? undefined : damagedCheck(file, report, 'ClassBridge cannot start on it.');
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

function damagedCheck(file: string, report: IntegrityReport, consequence: string): Check {
  const newest = listBackups(file)[0];
  return {
    check: 'Database',
    ok: false,
    detail: `${file} is damaged (${describeDamage(report)}). ${consequence}`,
    fix: newest
      ? `classbridge restore ${newest.file}   (the newest backup, ${newest.date}; the damaged file is kept aside)`
      : 'classbridge restore <file>   (no dated backup was found in the backups folder; use a copy of the data folder)',
  };
}

/** The full integrity check: every page, every index against its table, every CHECK constraint. */
function checkDatabase(engine: Engine): Check {
  const { file, migration } = engine.store;
  const report = integrityCheck(engine.store.db);
  if (report.ok)
    return { check: 'Database', ok: true, detail: `${file}, schema version ${migration.to}, integrity ok` };
  return damagedCheck(file, report, 'Nothing is sent to an LMS until it is restored.');
}

function checkBackups(engine: Engine): Check {
  const backups = listBackups(engine.store.file);
  const newest = backups[0];
  if (!newest)
    return {
      check: 'Backups',
      ok: true,
      detail: 'none yet (one is taken each day before the first upload, or now with `classbridge backup`)',
    };
  return { check: 'Backups', ok: true, detail: `${backups.length}, newest ${newest.file}` };
}

function checkDataDir(dataDir: string): Check {
  if (!existsSync(dataDir)) return { check: 'Data folder', ok: true, detail: `${dataDir} (will be created)` };
  try {
    accessSync(dataDir, constants.W_OK);
    return { check: 'Data folder', ok: true, detail: dataDir };
  } catch {
    return {
      check: 'Data folder',
      ok: false,
      detail: `${dataDir} is not writable`,
      fix: 'Give this user write access to the folder, or use --data-dir.',
    };
  }
}

async function checkKeychain(engine: Engine): Promise<Check> {
  try {
    await engine.secrets.listNames('doctor-probe');
    return { check: 'OS keychain', ok: true, detail: 'reachable' };
  } catch (err) {
    return { check: 'OS keychain', ok: false, detail: (err as Error).message };
  }
}

async function checkConnections(engine: Engine): Promise<Check[]> {
  const settings = engine.store.settings.get();
  const connections = engine.store.connections.list();
  const checks: Check[] = [];
  const lms = connections.filter((c) => c.kind === 'lms');
  const sms = connections.find((c) => c.kind === 'sms');
  if (lms.length === 0 || (settings.useSms && !sms)) {
    checks.push({
      check: 'Setup',
      ok: false,
      detail: `${sms ? 'an SMS' : 'no SMS'} and ${lms.length} LMS connection(s) configured`,
      fix: 'Run the setup wizard in the app, or `classbridge config import <file>` (docs/configuration.md).',
    });
  }
  for (const c of connections) {
    const names = await engine.secrets.listNames(c.id).catch(() => undefined);
    if (c.kind === 'lms') {
      const token = names?.includes('token') ? await engine.secrets.get(c.id, 'token') : undefined;
      if (!token) {
        checks.push({
          check: `LMS ${c.name}`,
          ok: false,
          detail: `${c.url}, no web-service token stored`,
          fix: `printf %s "$TOKEN" | classbridge secret set ${c.id} token`,
        });
        continue;
      }
      checks.push(
        ...lmsChecks(
          c.name,
          c.url,
          await testLmsConnection({ ...c, knownRoles: engine.store.lmsRoles.list(c.id) }, token, engine.logger),
        ),
      );
    } else {
      // Options saved before they were checked (or edited in the database) fail here with their field.
      const problem = smsConnectionProblem(c);
      if (problem) {
        checks.push({
          check: `SMS ${c.name} options`,
          ok: false,
          detail: problem.message,
          fix: `Correct ${problem.field} in the SMS connection (classbridge config export / import).`,
        });
      }
      const route = SMS_PROVIDER_INFO[c.provider].route;
      if (route === 'push') {
        const has = names?.includes('push-secret');
        checks.push({
          check: `SMS ${c.name}`,
          ok: has === true,
          detail: has ? 'receive secret stored' : 'no receive secret yet',
          ...(has ? {} : { fix: 'Use Get Secret in the setup wizard and paste it into the SMS.' }),
        });
      } else if (route === 'file') {
        const ok = c.source !== undefined && existsSync(c.source);
        checks.push({
          check: `SMS ${c.name}`,
          ok,
          detail: ok ? `export at ${c.source}` : `export folder or file ${c.source ?? '(not set)'} not found`,
          ...(ok ? {} : { fix: 'Set "source" to the folder or file the SMS exports to.' }),
        });
      }
    }
  }
  return checks;
}

/** The connection test as doctor lines: the site, then one line per feature that does not work. */
const ROLE_SOURCE: Record<NonNullable<ConnectionTestResult['roles']>[number]['source'], string> = {
  configured: 'from the mapping',
  cached: 'found on an earlier run',
  learnt: 'learnt from course participants',
  verified: 'Moodle default, verified',
  default: "Moodle's default, checked at the first enrolment",
  unknown: 'not found',
};

function lmsChecks(name: string, url: string, result: ConnectionTestResult): Check[] {
  if (!result.reachable || !result.site) {
    return [
      {
        check: `LMS ${name}`,
        ok: false,
        detail: `${url}: ${result.error?.message ?? 'not reachable'}`,
        fix: result.error?.fix ?? '',
      },
    ];
  }
  const { site } = result;
  const checks: Check[] = [
    {
      check: `LMS ${name}`,
      ok: true,
      detail: `${site.name} (${lmsProviderSetups().find((p) => p.id === site.family)?.label ?? site.family} ${site.release}), web-service user ${site.username}`,
    },
  ];
  // Fixes come first for functions the service lacks (one per feature, in order), then one for capabilities.
  const functionFixes = result.fixes.filter((f) => !f.startsWith("The token's role lacks"));
  for (const feature of result.features.filter((f) => f.missingFunctions.length > 0)) {
    checks.push({
      check: `LMS ${name}: ${feature.label}`,
      ok: false,
      detail: `not allowed by the web service (${feature.missingFunctions.join(', ')})`,
      fix: functionFixes.shift() ?? '',
    });
  }
  for (const feature of result.features.filter((f) => f.missingCapabilities?.length)) {
    const capabilities = feature.missingCapabilities ?? [];
    checks.push({
      check: `LMS ${name}: ${feature.label}`,
      ok: false,
      detail: `the token's role lacks ${capabilities.join(', ')} (${feature.probe?.detail ?? 'probe refused'})`,
      fix:
        `Add ${capabilities.join(' and ')} to the role of the web-service user (Site administration › Users › ` +
        'Permissions › Define roles), then run `classbridge doctor` again.',
    });
  }
  const unchecked = result.features.filter((f) => f.probe?.result === 'unchecked');
  if (unchecked.length > 0) {
    checks.push({
      check: `LMS ${name}: capabilities not checked`,
      ok: true,
      detail: unchecked.map((f) => `${f.label}: ${f.probe?.detail ?? ''}`).join('; '),
    });
  }
  if (result.roles && result.roles.length > 0) {
    const unknown = result.roles.filter((r) => r.id === null);
    checks.push({
      check: `LMS ${name}: role ids`,
      ok: unknown.length === 0,
      detail: result.roles.map((r) => `${r.shortname} ${r.id ?? '?'} (${ROLE_SOURCE[r.source]})`).join(', '),
      ...(unknown.length > 0
        ? {
            fix: `Enter the id of ${unknown.map((r) => `"${r.shortname}"`).join(', ')} under the connection's roleIds (docs/moodle.md, "First sync on a new site").`,
          }
        : {}),
    });
  }
  return checks;
}
