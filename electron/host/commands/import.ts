import { SmsImportError } from '../../../adapters/contract';
import { describeFormat } from '../../core/sms/detect-source';
import { importSmsSource } from '../../core/sms/import-snapshot';
import { createSmsAdapter } from '../../core/sms/sms-adapter-factory';
import { countSnapshot, formatFor, printReport } from './check';
import { CommandFailed, type Output } from './output';
import { withEngine } from './with-engine';

/**
 * `classbridge import <file|folder>`: reads an SMS export and makes it the current snapshot, all or
 * nothing. Uses the configured SMS connection's options (course mapping, CSV columns) when there is one.
 */
export async function importCommand(
  dataDir: string,
  path: string,
  options: { provider?: string },
  out: Output,
): Promise<void> {
  await withEngine(dataDir, async (engine) => {
    const sms = engine.store.connections.list().find((c) => c.kind === 'sms');
    const format = formatFor(path, options.provider ?? sms?.provider);
    try {
      const adapter = await createSmsAdapter(format, { path, ...(sms?.kind === 'sms' ? { connection: sms } : {}) });
      const { meta, warnings } = await importSmsSource(
        engine.store,
        adapter,
        { kind: 'path', path },
        `${describeFormat(format)}: ${path}`,
      );
      const report = { format, counts: countSnapshot(engine.store.snapshot.read()), warnings };
      out.result({ imported: true, importedAt: meta.importedAt, ...report }, () => {
        printReport(out, path, report);
        out.line(`Imported as the current SMS snapshot (${meta.importedAt}).`);
      });
      engine.logger.info({ format, counts: meta.counts, warnings: warnings.length }, 'SMS snapshot imported');
    } catch (err) {
      if (err instanceof SmsImportError) {
        throw new CommandFailed(`${path} was not imported (the previous snapshot is unchanged): ${err.describe()}`, {
          kind: err.kind,
          where: err.where,
        });
      }
      throw err;
    }
  });
}
