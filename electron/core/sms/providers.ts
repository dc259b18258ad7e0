import { smsConnectionProblem, smsProviderSetups } from '../../../adapters/sms/registry';
import type { Connection, SmsProviderSetup } from '../model';

/** The SMS half of `providers:list`: each provider row joined with its adapters' descriptors. */
export function smsProviderList(): SmsProviderSetup[] {
  return smsProviderSetups();
}

/**
 * Where connections cross a boundary (the Api's connections:save, `classbridge config import`), each SMS
 * connection's options are checked by its adapter's schema (adapters/sms/<adapter>/descriptor.ts), so a
 * misspelt or mistyped option is refused with its field ("options.courseFrom") instead of being ignored
 * at run time. Returns the first problem, else undefined.
 */
export function smsOptionsProblem(
  connections: readonly Connection[],
): { connectionId: string; field: string; message: string } | undefined {
  for (const connection of connections) {
    if (connection.kind !== 'sms') continue;
    const problem = smsConnectionProblem(connection);
    if (problem) return { connectionId: connection.id, ...problem };
  }
  return undefined;
}
