import { SmsImportError } from '../../../adapters/contract';
import { describeFormat } from '../../core/sms/detect-source';
import { runIntake } from '../../core/sms/intake';
import { readExport, smsConnectionOf } from '../../core/sms/read-export';
import { connectionFor, formatFor, printReport, refusal } from './check';
import { CommandFailed, type Output } from './output';
import { withEngine } from './with-engine';

/**
 * `classbridge import <file|folder>`: reads an SMS export and makes it the current snapshot, all or
 * nothing, through the same intake as every other way in (recorded as an SMS import run). Uses the
 * configured SMS connection's options (course mapping, CSV columns) when there is one.
 */
export async function importCommand(
  dataDir: string,
  path: string,
  options: { provider?: string },
  out: Output,
): Promise<void> {
  await withEngine(dataDir, async (engine) => {
    const sms = smsConnectionOf(engine.store);
    const format = formatFor(path, options.provider ?? sms?.provider);
    const outcome = await runIntake(
      { store: engine.store, logger: engine.logger },
      {
        source: `${describeFormat(format)}: ${path}`,
        trigger: 'cli',
        read: () => {
          const applies = connectionFor(sms, format);
          return readExport(path, { format, ...(applies ? { connection: applies } : {}), store: engine.store });
        },
      },
    );
    if (!outcome.ok) {
      const lead = `${path} was not imported (the previous snapshot is unchanged)`;
      if (outcome.error instanceof SmsImportError) throw refusal(path, format, outcome.error, lead);
      throw new CommandFailed(`${lead}: ${outcome.message}`);
    }
    const report = { format, counts: engine.store.snapshot.roleCounts(), warnings: outcome.warnings };
    out.result({ imported: true, importedAt: outcome.meta.importedAt, ...report }, () => {
      printReport(out, path, report);
      out.line(`Imported as the current SMS snapshot (${outcome.meta.importedAt}).`);
    });
  });
}
