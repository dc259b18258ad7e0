import type { Connection } from '../model';

/** A save that would break a connection rule: what to tell the admin, and which field is wrong. */
export interface ConnectionRuleBreak {
  message: string;
  /** 'id' when one connection is at fault; 'connections' when it is the set as a whole. */
  field: 'id' | 'connections';
}

type ConnectionKey = Pick<Connection, 'id' | 'kind' | 'name'>;

/**
 * The rules every way of saving connections keeps (the Api's connections:save, which the wizard and
 * settings use, and `classbridge config import`), in one place so the two cannot drift:
 * - ClassBridge reads one SMS: a second SMS under another id is refused (switching means removing
 *   the old one first, which the wizard does for the admin);
 * - an id keeps its kind: "moodle-main" cannot turn from an LMS into an SMS, because its links,
 *   runs and keychain entries mean one or the other.
 * Returns the first rule the incoming connections would break over the existing ones, else undefined.
 */
export function connectionRuleBreak(
  existing: readonly ConnectionKey[],
  incoming: readonly ConnectionKey[],
): ConnectionRuleBreak | undefined {
  const byId = new Map(existing.map((c) => [c.id, c] as const));
  for (const c of incoming) {
    const before = byId.get(c.id);
    if (before && before.kind !== c.kind)
      return {
        message: `"${c.id}" is already an ${before.kind.toUpperCase()} connection; choose another id.`,
        field: 'id',
      };
  }
  const incomingSms = incoming.filter((c) => c.kind === 'sms');
  if (new Set(incomingSms.map((c) => c.id)).size > 1)
    return { message: 'ClassBridge reads one SMS: only one SMS connection is allowed.', field: 'connections' };
  const sms = incomingSms[0];
  const other = sms && existing.find((c) => c.kind === 'sms' && c.id !== sms.id);
  if (sms && other)
    return {
      message:
        `ClassBridge reads one SMS; "${other.name}" (${other.id}) is already configured. ` +
        `Remove it first to switch, or use its id "${other.id}".`,
      field: 'id',
    };
  return undefined;
}
