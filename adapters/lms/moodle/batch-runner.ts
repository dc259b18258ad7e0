import { LmsError, type BatchResult, type ItemOutcome } from '../../contract';
import { budgetAfterTruncation, RECOMMENDED_MAX_INPUT_VARS } from './batch-sizes';
import { FIX_OF_KIND } from './errors';
import { varsPerItem, type FormValue } from './form-encoding';

/**
 * Runs a batched write the way Moodle needs it:
 * - chunks of at most `batchSize` items whose form variables stay under `varBudget` (batch-sizes.ts:
 *   a share of PHP's max_input_vars), because PHP silently drops the variables past the limit;
 * - every answer is checked for a shortfall (fewer results than items sent = truncation): the
 *   missing items go again in smaller chunks, and the run says so;
 * - a chunk Moodle rejects for one bad record (create/enrol/group calls are all-or-nothing) is
 *   split in halves until the bad records are isolated, so the others still go through;
 * - after an ambiguous failure (timeout, dropped connection, 5xx once retries are spent), creates
 *   first look up what the LMS already holds (`reconcile`) and resend only the rest, so a retry
 *   never makes a duplicate;
 * - errors about the connection itself (token, access, permissions, maintenance) stop the run.
 */
export interface BatchSpec<I, R> {
  operation: string;
  items: readonly I[];
  batchSize: number;
  varBudget: number;
  maxAttempts: number;
  /** The item as it will be sent, for counting form variables. */
  encode(item: I): FormValue;
  /** Sends one chunk; returns one entry per chunk item, `undefined` where the LMS did not answer for it. */
  send(chunk: readonly I[]): Promise<(ItemOutcome<R> | undefined)[]>;
  /** After an ambiguous failure: the result for each chunk item that already exists in the LMS. */
  reconcile?(chunk: readonly I[]): Promise<(R | undefined)[]>;
}

/**
 * Said once per run however many requests were cut (ApplyContext's notes are a set): the admin needs the
 * cause and the fix, not a line per batch.
 */
export const TRUNCATION_NOTE =
  "The LMS answered for only part of some requests: PHP's max_input_vars on the LMS server is lower than " +
  'ClassBridge assumed, so ClassBridge sent those records again in smaller batches (nothing is missing, but ' +
  `uploads are slower). Fix: set max_input_vars = ${RECOMMENDED_MAX_INPUT_VARS} in the PHP settings of the LMS server (Moodle asks for ` +
  `at least ${RECOMMENDED_MAX_INPUT_VARS}), then restart its web server.`;

const DATA_KINDS = new Set(['invalid-parameter', 'conflict', 'not-found', 'require-login', 'unexpected']);
// Permission errors that concern one course or role, not the token as a whole.
const PER_RECORD_CODES = new Set(['wsusercannotassign', 'wscannotenrol', 'wscannotunenrol', 'wsnoinstance']);
const AMBIGUOUS_KINDS = new Set(['server', 'network', 'timeout']);

export async function runBatches<I, R>(spec: BatchSpec<I, R>): Promise<BatchResult<R>> {
  const outcomes: (ItemOutcome<R> | undefined)[] = new Array<ItemOutcome<R> | undefined>(spec.items.length);
  const notes: string[] = [];
  let varBudget = spec.varBudget;

  const runChunk = async (indexes: number[], attempt: number): Promise<void> => {
    const chunk = indexes.map((i) => spec.items[i] as I);
    let answers: (ItemOutcome<R> | undefined)[];
    try {
      answers = await spec.send(chunk);
    } catch (err) {
      if (!(err instanceof LmsError)) throw err;
      if (DATA_KINDS.has(err.kind) || PER_RECORD_CODES.has(err.code ?? '')) {
        if (indexes.length === 1) {
          outcomes[indexes[0] as number] = { ok: false, error: err };
          return;
        }
        const middle = Math.ceil(indexes.length / 2);
        await Promise.all([runChunk(indexes.slice(0, middle), attempt), runChunk(indexes.slice(middle), attempt)]);
        return;
      }
      if (AMBIGUOUS_KINDS.has(err.kind) && spec.reconcile && attempt < spec.maxAttempts) {
        const existing = await spec.reconcile(chunk);
        const missing: number[] = [];
        indexes.forEach((index, k) => {
          const value = existing[k];
          if (value !== undefined) outcomes[index] = { ok: true, value };
          else missing.push(index);
        });
        if (missing.length > 0) await runChunk(missing, attempt + 1);
        return;
      }
      throw err;
    }
    const unanswered: number[] = [];
    indexes.forEach((index, k) => {
      const answer = answers[k];
      if (answer === undefined) unanswered.push(index);
      else outcomes[index] = answer;
    });
    if (unanswered.length === 0) return;
    if (indexes.length === 1) {
      outcomes[indexes[0] as number] = {
        ok: false,
        error: new LmsError('truncated', `${spec.operation}: the LMS did not answer for this record`, {
          operation: spec.operation,
          fix: FIX_OF_KIND.truncated,
        }),
      };
      return;
    }
    varBudget = budgetAfterTruncation(varBudget);
    if (!notes.includes(TRUNCATION_NOTE)) notes.push(TRUNCATION_NOTE);
    await Promise.all(planChunks(unanswered, spec, varBudget).map((c) => runChunk(c, attempt)));
  };

  await Promise.all(
    planChunks(
      spec.items.map((_, i) => i),
      spec,
      varBudget,
    ).map((c) => runChunk(c, 1)),
  );
  return { outcomes: outcomes.map((o) => o ?? missingOutcome(spec.operation)), notes };
}

/** Greedy chunks of item indexes: at most batchSize items and varBudget form variables each. */
export function planChunks<I>(
  indexes: readonly number[],
  spec: Pick<BatchSpec<I, unknown>, 'items' | 'batchSize' | 'encode'>,
  varBudget: number,
): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  let vars = 0;
  for (const index of indexes) {
    const cost = varsPerItem(spec.encode(spec.items[index] as I));
    if (current.length > 0 && (current.length >= spec.batchSize || vars + cost > varBudget)) {
      chunks.push(current);
      current = [];
      vars = 0;
    }
    current.push(index);
    vars += cost;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function missingOutcome<R>(operation: string): ItemOutcome<R> {
  return { ok: false, error: new LmsError('unexpected', `${operation}: no result for this record`, { operation }) };
}
