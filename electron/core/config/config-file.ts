import { z } from 'zod';
import { ConnectionSchema, SettingsSchema, type Connection, type Settings } from '../model';
import type { Store } from '../store/store';
import { connectionRuleBreak } from '../connections/connection-rules';
import { smsOptionsProblem } from '../sms/providers';

/**
 * A ClassBridge configuration as a file: every setting an admin can make, including the SMS and LMS
 * connections, and never a secret. An IT person can write one by hand (docs/configuration.md) and
 * set a school up without the wizard.
 */
export const CONFIG_FORMAT = 'classbridge-config';
export const CONFIG_VERSION = 1;

export const ConfigFileSchema = z
  .object({
    format: z.literal(CONFIG_FORMAT, { message: `Expected "format": "${CONFIG_FORMAT}"` }),
    version: z.literal(CONFIG_VERSION, { message: `This ClassBridge reads configuration version ${CONFIG_VERSION}` }),
    settings: SettingsSchema.default(SettingsSchema.parse({})),
    connections: z.array(ConnectionSchema).default([]),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.connections.forEach((c, i) => {
      if (seen.has(c.id))
        ctx.addIssue({ code: 'custom', path: ['connections', i, 'id'], message: `Duplicate id "${c.id}"` });
      seen.add(c.id);
    });
    if (config.connections.filter((c) => c.kind === 'sms').length > 1) {
      ctx.addIssue({ code: 'custom', path: ['connections'], message: 'Only one SMS connection is allowed' });
    }
  });
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

// Secrets are refused loudly rather than stripped quietly: an admin who pasted a token into the file
// must learn that it was not stored, and that the file itself now holds a secret worth deleting.
const SECRET_KEY = /^(token|wstoken|secret|password|passwd|apikey|api_key|clientsecret|client_secret)$/i;

function findSecretKey(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = findSecretKey(v, `${path}[${i}]`);
      if (hit) return hit;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const here = path ? `${path}.${k}` : k;
      if (SECRET_KEY.test(k)) return here;
      const hit = findSecretKey(v, here);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** Parses a configuration file's text, all or nothing, with an error naming the field. */
export function parseConfig(text: string, fileName: string): ConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigFileError(`${fileName} is not valid JSON: ${(err as Error).message}`);
  }
  const secretAt = findSecretKey(raw, '');
  if (secretAt) {
    throw new ConfigFileError(
      `${fileName}: ${secretAt}: configuration files never hold secrets. Remove it from the file and store ` +
        `it in the OS keychain with \`classbridge secret set <connection> <name>\` (value on stdin).`,
      secretAt,
    );
  }
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    throw new ConfigFileError(`${fileName}: ${field || '(top level)'}: ${issue?.message ?? 'invalid'}`, field);
  }
  return parsed.data;
}

export function exportConfig(store: Store): ConfigFile {
  return {
    format: CONFIG_FORMAT,
    version: CONFIG_VERSION,
    settings: store.settings.get(),
    connections: store.connections.list(),
  };
}

export interface ImportReport {
  settings: Settings;
  added: string[];
  updated: string[];
  /** Connections in the database that the file does not name; they are kept. */
  kept: string[];
}

/** Applies a parsed configuration in one transaction: settings replaced, connections upserted. */
export function importConfig(store: Store, config: ConfigFile): ImportReport {
  const existing = new Map(store.connections.list().map((c) => [c.id, c] as const));
  const broken = connectionRuleBreak([...existing.values()], config.connections);
  if (broken) throw new ConfigFileError(`connections: ${broken.message}`, 'connections');
  const badOptions = smsOptionsProblem(config.connections);
  if (badOptions)
    throw new ConfigFileError(`connections: "${badOptions.connectionId}": ${badOptions.message}`, badOptions.field);
  const report: ImportReport = { settings: config.settings, added: [], updated: [], kept: [] };
  store.db.transaction(() => {
    store.settings.save(config.settings);
    for (const c of config.connections as Connection[]) {
      (existing.has(c.id) ? report.updated : report.added).push(c.id);
      store.connections.save(c);
    }
  })();
  const named = new Set(config.connections.map((c) => c.id));
  report.kept = [...existing.keys()].filter((id) => !named.has(id));
  return report;
}
