import { z } from 'zod';
import { SmsImportError } from '../contract';

/**
 * Connection options every SMS adapter understands: where results files go, and (for SMSs that push,
 * KAMAR or uploads to the receiver) how the receiver listens. Each descriptor adds its own and checks
 * the whole set strictly, so a misspelt option is refused where it is saved, not ignored at run time.
 */
export const COMMON_SMS_OPTIONS = {
  /** Folder results files are written to when auto-export is on (default `<data>/results/<lms>/`). */
  resultsFolder: z.string().max(4096).optional(),
  receiverHost: z.string().max(255).optional(),
  receiverPort: z.number().int().min(0).max(65535).optional(), // 0: any free port (tests)
  receiverTls: z.enum(['generated', 'none']).optional(),
  allowInsecureHttp: z.boolean().optional(),
  receiverUsername: z.string().max(100).optional(),
  /** KAMAR's quiet time after the last chunk before a push is complete (README of adapters/sms/kamar). */
  receiverQuietMs: z.number().optional(),
};

/**
 * Options as the adapter reads them at run time. They were checked when the connection was saved; a
 * value that fails now (a database edited by hand) is an SmsImportError naming the option.
 */
export function parseSmsOptions<Options>(schema: z.ZodType<Options>, options: unknown, adapterName: string): Options {
  const parsed = schema.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  throw new SmsImportError(
    'format',
    `The SMS connection's option "${field}" is not valid for ${adapterName}: ${issue?.message ?? ''}`,
    { field },
  );
}
