import { readFileSync, writeFileSync } from 'node:fs';
import { ConfigFileError, exportConfig, importConfig, parseConfig } from '../../core/config/config-file';
import { CommandFailed, type Output } from './output';
import { withEngine } from './with-engine';

export async function configExportCommand(dataDir: string, file: string, out: Output): Promise<void> {
  const config = await withEngine(dataDir, async (engine) => exportConfig(engine.store));
  const text = `${JSON.stringify(config, null, 2)}\n`;
  if (file === '-') {
    process.stdout.write(text);
    return;
  }
  writeFileSync(file, text, { mode: 0o600 });
  out.result({ ok: true, file, connections: config.connections.length }, () =>
    out.line(`Wrote the configuration (${config.connections.length} connections, no secrets) to ${file}.`),
  );
}

export async function configImportCommand(dataDir: string, file: string, out: Output): Promise<void> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CommandFailed(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const config = parseConfig(text, file);
    const report = await withEngine(dataDir, async (engine) => importConfig(engine.store, config));
    out.result({ ok: true, ...report }, () => {
      out.line(
        `Imported ${file}: settings replaced; ${report.added.length} connections added, ${report.updated.length} updated.`,
      );
      if (report.kept.length > 0) out.line(`Kept connections not in the file: ${report.kept.join(', ')}.`);
      out.line('Secrets are not part of the file: store them with `classbridge secret set <connection> <name>`.');
    });
  } catch (err) {
    if (err instanceof ConfigFileError) throw new CommandFailed(err.message, { field: err.field });
    throw err;
  }
}
