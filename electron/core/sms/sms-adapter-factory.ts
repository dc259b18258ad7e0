import type { SmsAdapter, SmsSnapshot } from '../../../adapters/contract';
import { smsAdapterDescriptor, smsOptionsOf } from '../../../adapters/sms/registry';
import type { SmsConnection } from '../model';
import type { SourceFormat } from './detect-source';

export interface AdapterContext {
  /** The source about to be read (used to guess CSV columns when no mapping is saved). */
  path: string;
  /** The configured SMS connection, whose options shape the import. */
  connection?: SmsConnection;
  /**
   * The current snapshot, for sources that send only changes (a OneRoster delta). A function is
   * called only when the reader needs it, so a bulk export never loads the stored school.
   */
  base?: SmsSnapshot | (() => SmsSnapshot | undefined);
}

/**
 * The reader for a source format (an adapter id of adapters/sms/registry.ts), configured from the SMS
 * connection where there is one: its options are read through the adapter's own schema.
 */
export async function createSmsAdapter(format: SourceFormat, context: AdapterContext): Promise<SmsAdapter> {
  const descriptor = smsAdapterDescriptor(format);
  return descriptor.create({
    path: context.path,
    options: smsOptionsOf(descriptor, context.connection),
    ...(context.connection ? { connection: context.connection } : {}),
    ...(context.base ? { base: context.base } : {}),
  });
}
