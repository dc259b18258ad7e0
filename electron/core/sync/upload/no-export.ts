import type { SmsConnection } from '../../model';
import type { Store } from '../../store/store';

/**
 * Why an upload has nothing to send when an SMS is configured but no export of it was imported yet:
 * planning from the empty school would say "Nothing to change" (or, after earlier uploads, plan to
 * remove everyone), which hides the real step left. Undefined when an export was imported, or when
 * no SMS is configured (then the snapshot comes from `classbridge import` alone and says nothing new).
 */
export function noExportImported(store: Store): { message: string; fix: string } | undefined {
  if (store.snapshot.meta() !== undefined) return undefined;
  const sms = store.connections.list().find((c): c is SmsConnection => c.kind === 'sms');
  if (!sms) return undefined;
  const from = sms.source ? ` (${sms.source})` : '';
  return {
    message: `No export from the SMS "${sms.name}"${from} has been imported yet, so there is nothing to upload.`,
    fix: sms.source
      ? `Import it with \`classbridge import ${sms.source}\` (the app and \`classbridge serve\` also read it from there when it changes), then upload again.`
      : 'Import an export with `classbridge import <file|folder>` (or send one to the receiver), then upload again.',
  };
}
