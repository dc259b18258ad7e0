import type { IncomingMessage } from 'node:http';
import { SmsImportError, type AdapterLogger } from '../../contract';
import { readBody } from './body';
import { parseEnvelope, parseJsonText } from './envelope';
import { ANSWERS, checkAnswer, envelope, type CheckOptions, type KamarAnswer } from './responses';
import type { PushAssembler, RefusalKind } from './sessions';

const REFUSALS: Record<RefusalKind, KamarAnswer> = {
  spoiled: ANSWERS.pushSpoiled,
  'recent-failure': ANSWERS.recentFailure,
  count: ANSWERS.countMismatch,
  'no-roll': ANSWERS.noFullSync,
};

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * One authenticated KAMAR POST: read, parse, dispatch on `sync` (ref A.3), answer (ref A.5).
 * Returns the JSON body to send; never throws for anything KAMAR (or a fuzzer) can send.
 */
export async function handleKamarMessage(
  req: IncomingMessage,
  context: { assembler: PushAssembler; maxBodyBytes: number; check: CheckOptions; logger: AdapterLogger },
): Promise<{ body: string; close?: boolean }> {
  const { assembler, logger } = context;
  const outcome = await readBody(req, context.maxBodyBytes);
  if (outcome.kind === 'too-large') {
    assembler.fail('a message was over the size limit');
    logger.warn({ limitBytes: context.maxBodyBytes }, 'KAMAR message refused: over the size limit');
    return { body: envelope(ANSWERS.tooLarge, { detail: `limit ${context.maxBodyBytes} bytes` }), close: true };
  }
  if (outcome.kind === 'aborted') {
    assembler.fail('a message was cut off');
    logger.warn({}, 'KAMAR message cut off before its end: the sync in progress will be dropped');
    return { body: envelope(ANSWERS.malformed, { detail: 'the message was cut off' }), close: true };
  }
  try {
    const text = decode(outcome.body);
    const message = parseEnvelope(parseJsonText(text, 'KAMAR message'), 'KAMAR message');
    if (message.sync === 'check') {
      logger.info({ version: message.version }, 'KAMAR check answered');
      return { body: checkAnswer(context.check) };
    }
    if (message.sync === 'full' || message.sync === 'part') {
      const accepted = assembler.accept({ ...message, sync: message.sync });
      if (!accepted.ok) {
        logger.warn({ sync: message.sync, refusal: accepted.refusal, detail: accepted.detail }, 'KAMAR chunk refused');
        return { body: envelope(REFUSALS[accepted.refusal], { detail: accepted.detail }) };
      }
      logger.debug({ sync: message.sync }, 'KAMAR chunk merged');
      return { body: envelope(ANSWERS.ok) };
    }
    // Unused or unknown types are acknowledged and dropped: refusing them makes KAMAR flag the service (ref A.3).
    logger.debug({ sync: message.sync }, 'KAMAR message acknowledged, not stored');
    return { body: envelope(ANSWERS.ok) };
  } catch (error) {
    if (!(error instanceof SmsImportError)) {
      assembler.fail('an internal error');
      logger.error({ err: error }, 'KAMAR message handling failed');
      return { body: envelope(ANSWERS.serverError) };
    }
    assembler.fail(error.describe());
    logger.warn({ problem: error.describe() }, 'KAMAR message refused');
    const answer = error.kind === 'empty' ? ANSWERS.noData : ANSWERS.malformed;
    return { body: envelope(answer, { detail: error.describe() }) };
  }
}

function decode(body: Buffer): string {
  try {
    return UTF8.decode(body);
  } catch {
    throw new SmsImportError('encoding', 'The message is not UTF-8 text', { file: 'KAMAR message', expected: 'UTF-8' });
  }
}
