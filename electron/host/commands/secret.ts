import { SecretNameSchema } from '../../core/model';
import { CommandFailed, UsageError, type Output } from './output';
import { callApi, withEngine } from './with-engine';

/**
 * `classbridge secret set <connection> <name>`: the value comes on stdin only, so it never lands in
 * shell history or a process list, and it is never echoed back.
 */
export async function secretSetCommand(dataDir: string, connection: string, name: string, out: Output): Promise<void> {
  if (!SecretNameSchema.safeParse(name).success) {
    throw new UsageError(`"${name}" is not a secret name (use lower-case letters, digits and dashes, e.g. token).`);
  }
  if (process.stdin.isTTY) {
    throw new UsageError(
      `Give the value on standard input, for example: printf %s "$TOKEN" | classbridge secret set ${connection} ${name}`,
    );
  }
  const value = (await readStdin()).replace(/\r?\n$/, '');
  if (value.length === 0) throw new UsageError('The value on standard input is empty.');
  await withEngine(dataDir, async (engine) => {
    if (!engine.store.connections.get(connection)) {
      throw new CommandFailed(
        `There is no connection "${connection}". See \`classbridge status\` or \`config export\`.`,
      );
    }
    await callApi(engine, 'secrets:set', { connectionId: connection, name, value });
  });
  out.result({ ok: true, connection, name }, () => out.line(`Stored "${name}" for ${connection} in the OS keychain.`));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
