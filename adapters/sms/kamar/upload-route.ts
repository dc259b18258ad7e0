import type { IncomingMessage } from 'node:http';
import type { AdapterLogger } from '../../contract';
import { ANSWERS, type KamarAnswer } from './responses';
import { storeUpload, type UploadFormat } from './upload';

/** `POST /upload/<format>` after auth: stores the file and says how it went. */
export async function handleUpload(
  req: IncomingMessage,
  format: UploadFormat,
  dir: string,
  maxBytes: number,
  logger: AdapterLogger,
): Promise<{ answer: KamarAnswer; extra?: Record<string, unknown>; path?: string }> {
  const outcome = await storeUpload(req, format, dir, maxBytes);
  switch (outcome.kind) {
    case 'stored':
      logger.info({ format, bytes: outcome.bytes, path: outcome.path }, 'upload stored');
      return { answer: ANSWERS.ok, extra: { format, bytes: outcome.bytes }, path: outcome.path };
    case 'too-large':
      logger.warn({ format, limitBytes: maxBytes }, 'upload refused: over the size limit');
      return { answer: ANSWERS.tooLarge, extra: { detail: `limit ${maxBytes} bytes` } };
    case 'empty':
      return { answer: { error: 400, result: 'No Data' } };
    case 'not-zip':
      logger.warn({ format }, 'upload refused: a OneRoster upload must be a zip');
      return { answer: { error: 415, result: 'Not A Zip File', detail: 'a OneRoster upload is a zip of CSV files' } };
    case 'aborted':
      logger.warn({ format }, 'upload cut off before its end: nothing stored');
      return { answer: { error: 400, result: 'Upload Cut Off' } };
  }
}
