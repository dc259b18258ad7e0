import { ALERT_KINDS, AlertKindSchema, AlertSecretNameSchema } from '../../core/model';
import { CommandFailed, UsageError, type Output } from './output';
import { callApi, withEngine } from './with-engine';

/**
 * `classbridge alerts test [kind]`: one alert of each kind (or the one named), marked [TEST], on
 * every channel set up (Settings → Alerts, settings.alerts), now, quiet hours or not; per channel
 * whether it went or why not. Exit 1 when a channel failed.
 */
export async function alertsTestCommand(dataDir: string, kind: string | undefined, out: Output): Promise<void> {
  const parsed = kind === undefined ? undefined : AlertKindSchema.safeParse(kind);
  if (parsed && !parsed.success)
    throw new UsageError(`Unknown alert kind "${kind}". Use one of: ${ALERT_KINDS.join(', ')}.`);
  const answer = await withEngine(dataDir, (engine) =>
    callApi(engine, 'alerts:test', parsed?.success ? { kind: parsed.data } : {}),
  );
  out.result(answer, () => {
    if (answer.channels.length === 0) out.line('No channel takes these kinds of alert: nothing was sent.');
    for (const c of answer.channels) {
      const what = `${c.channel} ${c.target} (${c.kinds.join(', ')})`;
      out.line(c.ok ? `ok      ${what}` : `FAILED  ${what}: ${c.error ?? 'not sent'}`);
    }
  });
  const failed = answer.channels.filter((c) => !c.ok).length;
  if (failed > 0)
    throw new CommandFailed(`${failed} of ${answer.channels.length} alert channel(s) failed (see above).`, answer);
}

/** `classbridge alerts secret <smtp-password|webhook-secret>`: the value on standard input only, into the keychain. */
export async function alertsSecretCommand(dataDir: string, name: string, out: Output): Promise<void> {
  const parsed = AlertSecretNameSchema.safeParse(name);
  if (!parsed.success) throw new UsageError(`"${name}" is not an alert secret: use smtp-password or webhook-secret.`);
  if (process.stdin.isTTY)
    throw new UsageError(
      `Give the value on standard input, for example: printf %s "$VALUE" | classbridge alerts secret ${name}`,
    );
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const value = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (value.length === 0) throw new UsageError('The value on standard input is empty.');
  await withEngine(dataDir, (engine) => callApi(engine, 'alerts:setSecret', { name: parsed.data, value }));
  out.result({ ok: true, name }, () => out.line(`Stored the alerts' ${name} in the OS keychain.`));
}
