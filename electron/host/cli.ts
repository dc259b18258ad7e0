/**
 * `classbridge` — the command line over the same engine as the app. Exit codes: 0 ok, 1 the
 * operation failed (a sync run that was held or left records unsynced included), 2 bad usage.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { defaultDataDir } from '../core/paths/data-dir';
import { checkCommand } from './commands/check';
import { coursesListCommand, coursesSetStateCommand, type CoursesSetStateOptions } from './commands/courses';
import { errorsListCommand, errorsRetryCommand } from './commands/errors';
import { heldDecideCommand, heldListCommand, heldShowCommand } from './commands/held';
import { configExportCommand, configImportCommand } from './commands/config';
import { demoCommand } from './commands/demo';
import { importCommand } from './commands/import';
import { linksDecideCommand, linksListCommand } from './commands/links';
import { leaveAloneListCommand, leaveAloneSetCommand } from './commands/leave-alone';
import { resultsDecideCommand, resultsListCommand } from './commands/results';
import { doctorCommand } from './commands/doctor';
import { backupCommand } from './commands/backup';
import { restoreCommand } from './commands/restore';
import { CommandFailed, createOutput, UsageError } from './commands/output';
import { secretSetCommand } from './commands/secret';
import { alertsSecretCommand, alertsTestCommand } from './commands/alerts';
import { serveCommand } from './commands/serve';
import { statusCommand } from './commands/status';
import { syncCommand } from './commands/sync';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

interface GlobalOptions {
  dataDir: string;
  json: boolean;
}

/** Ids of held plans and sync errors: as `held list` / `errors list` print them. */
function parseId(value: string): number {
  const id = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1)
    throw new InvalidArgumentError('Use the number shown by the list command.');
  return id;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('Use a port from 0 to 65535.');
  return port;
}

export function buildProgram(): Command {
  const program = new Command('classbridge')
    .description('ClassBridge: syncs a Student Management System with Moodle/Totara.')
    .addOption(
      new Option('--data-dir <dir>', 'data folder (database, logs)').default(defaultDataDir(), 'the app data folder'),
    )
    .option('--json', 'print machine-readable JSON', false)
    .showHelpAfterError()
    .exitOverride();
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const out = () => createOutput(globals().json);

  program
    .command('serve')
    .description('run the engine and serve the UI and Api on 127.0.0.1')
    .addOption(new Option('--port <port>', 'port to listen on (0 = any free port)').default(0).argParser(parsePort))
    .addOption(new Option('--reason <text>').hideHelp())
    .action((opts: { port: number; reason?: string }) => serveCommand(globals().dataDir, opts, out()));

  const milliseconds = (value: string): number => {
    const ms = Number(value);
    if (!Number.isInteger(ms) || ms < 0) throw new InvalidArgumentError('Use a whole number of milliseconds.');
    return ms;
  };
  program
    .command('demo')
    .description('a whole sync in a minute: sample school, simulated Moodle and the UI (never your real data)')
    .addOption(new Option('--port <port>', 'port for the UI (0 = any free port)').default(0).argParser(parsePort))
    .option('--once', 'run the sync, print the summary and exit instead of serving', false)
    .addOption(
      new Option('--latency <ms>', 'simulated Moodle time per request').default(25).argParser(milliseconds).hideHelp(),
    )
    .addOption(new Option('--step-delay <ms>', 'pause between steps').argParser(milliseconds).hideHelp())
    .action((opts: { port: number; once: boolean; latency: number; stepDelay?: number }) =>
      demoCommand(
        // Only a --data-dir typed on this command line is used (it must be empty); else a new temporary folder.
        program.getOptionValueSource('dataDir') === 'cli' ? globals().dataDir : undefined,
        {
          once: opts.once,
          port: opts.port,
          latencyMs: opts.latency,
          // Time to follow each step in the UI; none when it only prints a summary.
          stepDelayMs: opts.stepDelay ?? (opts.once ? 0 : 2000),
        },
        out(),
      ),
    );

  program
    .command('status')
    .description('show setup, health and last runs')
    .action(() => statusCommand(globals().dataDir, out()));

  program
    .command('doctor')
    .description('check the database, keychain and every connection')
    .action(() => doctorCommand(globals().dataDir, out()));

  program
    .command('backup')
    .description('back up the database now (safe while ClassBridge runs), as backups/classbridge-<date>.db')
    .action(() => backupCommand(globals().dataDir, out()));

  program
    .command('restore <file>')
    .description('replace the database with a backup (checked first; the current one is kept aside)')
    .action((file: string) => restoreCommand(globals().dataDir, file, out()));

  program
    .command('check <path>')
    .description('validate an SMS export (file, folder or zip) without storing anything')
    .option('--provider <name>', 'SMS (vettrak, kamar, …) or format (avetmiss, oneroster, kamar, csv)')
    .action((path: string, opts: { provider?: string }) => checkCommand(globals().dataDir, path, opts, out()));

  program
    .command('import <path>')
    .description('import an SMS export as the current snapshot (all or nothing)')
    .option('--provider <name>', 'SMS (vettrak, kamar, …) or format (avetmiss, oneroster, kamar, csv)')
    .action((path: string, opts: { provider?: string }) => importCommand(globals().dataDir, path, opts, out()));

  program
    .command('sync <part>')
    .description('run a part (upload, download, course-tracking, …) for each LMS once; --dry-run previews an upload')
    .option('--dry-run', 'show what would change, change nothing', false)
    .option('--once', 'run once and exit (the default for the command line)', false)
    .option('--wait', 'when another process is writing to that LMS, wait for it instead of exiting 1', false)
    .action((part: string, opts: { dryRun?: boolean; once?: boolean; wait?: boolean }) =>
      syncCommand(globals().dataDir, part, opts, out()),
    );

  const secret = program.command('secret').description('manage secrets in the OS keychain');
  secret
    .command('set <connection> <name>')
    .description('store a secret read from standard input (e.g. an LMS token)')
    .action((connection: string, name: string) => secretSetCommand(globals().dataDir, connection, name, out()));

  const alerts = program.command('alerts').description('email and webhook alerts (docs/alerts.md)');
  alerts
    .command('test [kind]')
    .description('send a test alert of each kind (or one kind) on every channel set up, now')
    .action((kind: string | undefined) => alertsTestCommand(globals().dataDir, kind, out()));
  alerts
    .command('secret <name>')
    .description('store smtp-password or webhook-secret, read from standard input, in the OS keychain')
    .action((name: string) => alertsSecretCommand(globals().dataDir, name, out()));

  const config = program.command('config').description('export or import settings and connections (never secrets)');
  config
    .command('export <file>')
    .description('write the configuration to a JSON file ("-" for standard output)')
    .action((file: string) => configExportCommand(globals().dataDir, file, out()));
  config
    .command('import <file>')
    .description('apply a configuration file (see docs/configuration.md)')
    .action((file: string) => configImportCommand(globals().dataDir, file, out()));

  const held = program
    .command('held')
    .description('uploads held by the safety rail: list, show, approve or reject them (as on the dashboard)');
  held
    .command('list')
    .description('the uploads waiting for a decision')
    .option('--all', 'also those already decided, applied or replaced', false)
    .action((opts: { all: boolean }) => heldListCommand(globals().dataDir, opts, out()));
  held
    .command('show')
    .argument('<id>', 'the held plan (see `held list`)', parseId)
    .description('what a held upload would suspend or remove, by name')
    .action((id: number) => heldShowCommand(globals().dataDir, id, out()));
  held
    .command('approve')
    .argument('<id>', 'the held plan (see `held list`)', parseId)
    .description('approve the removals: the next upload applies exactly these')
    .option('--upload', 'run that upload now, in this process', false)
    .action((id: number, opts: { upload: boolean }) =>
      heldDecideCommand(globals().dataDir, id, 'approve', opts, out()),
    );
  held
    .command('reject')
    .argument('<id>', 'the held plan (see `held list`)', parseId)
    .description('reject the removals: uploads stay held until the SMS data changes')
    .action((id: number) => heldDecideCommand(globals().dataDir, id, 'reject', {}, out()));

  const links = program
    .command('links')
    .description('existing LMS accounts ClassBridge will not take over on its own: list them, link, create or skip');
  links
    .command('list')
    .description('the accounts waiting for a decision, each beside the person ClassBridge would create')
    .option('--all', 'also decisions already carried out', false)
    .option('--connection <id>', 'only this LMS connection')
    .action((opts: { all: boolean; connection?: string }) => linksListCommand(globals().dataDir, opts, out()));
  links
    .command('link')
    .argument('<id>', 'the decision (see `links list`)', parseId)
    .description("link: the account becomes this person's (the next upload updates its names, email and idnumber)")
    .action((id: number) => linksDecideCommand(globals().dataDir, id, 'link', {}, out()));
  links
    .command('create')
    .argument('<id>', 'the decision (see `links list`)', parseId)
    .description(
      'create a new account with another username (the next free one unless --username); the existing one is left alone',
    )
    .option('--username <name>', 'the username to create instead')
    .action((id: number, opts: { username?: string }) =>
      linksDecideCommand(globals().dataDir, id, 'create', opts, out()),
    );
  links
    .command('skip')
    .argument('<id>', 'the decision (see `links list`)', parseId)
    .description('skip: the person is not created and the account is left alone')
    .action((id: number) => linksDecideCommand(globals().dataDir, id, 'skip', {}, out()));

  const leaveAlone = program
    .command('leave-alone')
    .description('people and courses ClassBridge does not touch (upload and reconcile): list, add, remove');
  leaveAlone
    .command('list')
    .description('every mark, with the name from the SMS export, since when and the note')
    .option('--connection <id>', 'only this LMS connection')
    .action((opts: { connection?: string }) => leaveAloneListCommand(globals().dataDir, opts, out()));
  leaveAlone
    .command('add')
    .argument('<kind>', 'person or course')
    .argument('<sms-id>', 'the SMS id of the person or course')
    .description('ClassBridge stops touching it: no create, update, suspension, enrolment, role or class change')
    .option('--connection <id>', 'the LMS connection (needed when there are several)')
    .option('--note <text>', 'why, for whoever reads the list later')
    .action((kind: string, smsId: string, opts: { connection?: string; note?: string }) =>
      leaveAloneSetCommand(globals().dataDir, true, kind, smsId, opts, out()),
    );
  leaveAlone
    .command('remove')
    .argument('<kind>', 'person or course')
    .argument('<sms-id>', 'the SMS id of the person or course')
    .description('lift the mark: the next upload brings it in line with the SMS')
    .option('--connection <id>', 'the LMS connection (needed when there are several)')
    .action((kind: string, smsId: string, opts: { connection?: string }) =>
      leaveAloneSetCommand(globals().dataDir, false, kind, smsId, opts, out()),
    );

  const results = program
    .command('results')
    .description('results waiting for a person before they are written to the SMS: list, accept, hold, keep-sms');
  results
    .command('list')
    .description('what waits (review, near the pass mark, changed in the SMS): SMS value, new value, why')
    .option('--connection <id>', 'only this LMS connection')
    .option('--reason <reason>', 'only this reason: review, margin or conflict')
    .action((opts: { connection?: string; reason?: string }) => resultsListCommand(globals().dataDir, opts, out()));
  for (const [name, decision, description] of [
    ['accept', 'accept', 'write the LMS value on the next results run'],
    ['hold', 'hold', 'do not write until the LMS result changes again'],
    ['keep-sms', 'keep-sms', "conflicts: keep the SMS's value, write nothing"],
  ] as const) {
    results
      .command(name)
      .argument('[result...]', '<lms-course-id>:<sms-person-id>, as `results list` shows')
      .description(description)
      .option('--all', 'every result waiting (with --connection / --reason: those only)', false)
      .option('--connection <id>', 'the LMS connection (needed when there are several)')
      .option('--reason <reason>', 'with --all: only this reason')
      .action((keys: string[], opts: { all: boolean; connection?: string; reason?: string }) =>
        resultsDecideCommand(globals().dataDir, decision, keys, opts, out()),
      );
  }

  const courses = program
    .command('courses')
    .description('the LMS courses ClassBridge knows: list them, mark them Open or Closed (as on the Courses page)');
  courses
    .command('list')
    .description('every LMS course from course tracking, with its state')
    .option('--state <state...>', 'only these states (New, Open, Closed, Deleted)')
    .option('--search <text>', 'only courses whose name contains this')
    .option('--connection <id>', 'only this LMS connection')
    .action((opts: { state?: string[]; search?: string; connection?: string }) =>
      coursesListCommand(globals().dataDir, opts, out()),
    );
  courses
    .command('open')
    .argument('[course...]', 'LMS course ids, short names or id numbers')
    .description('mark courses Open: ClassBridge enrols into them and reads their results')
    .option('--all-new', 'every course that is New', false)
    .option('--connection <id>', 'the LMS connection, when several have such a course')
    .action((names: string[], opts: CoursesSetStateOptions) =>
      coursesSetStateCommand(globals().dataDir, names, 'Open', opts, out()),
    );
  courses
    .command('close')
    .argument('[course...]', 'LMS course ids, short names or id numbers')
    .description('mark courses Closed: ClassBridge leaves them alone (enrolments stay as they are)')
    .option('--connection <id>', 'the LMS connection, when several have such a course')
    .action((names: string[], opts: { connection?: string }) =>
      coursesSetStateCommand(globals().dataDir, names, 'Closed', opts, out()),
    );

  const errors = program.command('errors').description('records that did not sync: list them, retry one');
  errors
    .command('list')
    .description('the open sync errors, each with what the LMS said and the fix')
    .option('--part <part>', 'only this part (upload, results, course-tracking, reconcile)')
    .option('--connection <id>', 'only this connection')
    .option('--all', 'also resolved ones', false)
    .action((opts: { part?: string; connection?: string; all: boolean }) =>
      errorsListCommand(globals().dataDir, opts, out()),
    );
  errors
    .command('retry')
    .argument('<id>', 'the error (see `errors list`)', parseId)
    .description('send the record that failed to upload again now, in this process')
    .action((id: number) => errorsRetryCommand(globals().dataDir, id, out()));

  for (const command of [program, secret, alerts, config, held, links, leaveAlone, results, courses, errors])
    command.exitOverride();
  return program;
}

/** Runs the CLI and resolves with the exit code; never calls process.exit itself. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const json = argv.includes('--json');
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.usage;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are successes; every other commander error is a usage mistake.
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help'
        ? EXIT.ok
        : EXIT.usage;
    }
    if (err instanceof UsageError) {
      report(json, 'usage', err.message);
      return EXIT.usage;
    }
    if (err instanceof CommandFailed) {
      const alreadyReported = (err.details as { reported?: boolean } | undefined)?.reported === true;
      if (!alreadyReported) report(json, 'failed', err.message, err.details);
      return EXIT.failed;
    }
    report(json, 'failed', err instanceof Error ? err.message : String(err));
    return EXIT.failed;
  }
}

function report(json: boolean, kind: 'usage' | 'failed', message: string, details?: unknown): void {
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: { kind, message, details } })}\n`);
  else process.stderr.write(`classbridge: ${message}\n`);
}

/**
 * `classbridge … | head -1`: once the reader has gone, output is dropped rather than crashing with
 * EPIPE; the command still finishes what it started (a sync is not cut off mid-batch) and exits
 * with its own code.
 */
export function ignoreClosedStdout(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    throw err;
  });
}

export async function main(): Promise<void> {
  ignoreClosedStdout();
  process.exitCode = await runCli(process.argv.slice(2));
}
