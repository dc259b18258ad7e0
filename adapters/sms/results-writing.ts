import { SmsImportError } from '../contract';
import { ResultsDestinationError, type ResultsDestination } from '../descriptor';

/** A destination that cannot write until its configuration is fixed: says why wherever it is shown. */
export function failingDestination(route: string, error: ResultsDestinationError): ResultsDestination {
  return {
    route,
    describe: `nowhere yet: ${error.message}`,
    write: () => Promise.reject(error),
    refusal: error,
  };
}

/**
 * The destination of a writer that works from the SMS's own export (the NAT00120 to rewrite, the
 * OneRoster classes and terms) while the connection names none: says what is missing and how to fix it.
 */
export function missingSourceDestination(route: string, message: string, fix: string): ResultsDestination {
  return failingDestination(route, new ResultsDestinationError(message, fix, 'source'));
}

/** An SMS adapter's error as a ResultsDestinationError whose message carries the file, line and field. */
export async function withSmsErrors<T>(
  label: string,
  run: () => Promise<T>,
  step: 'read' | 'write' = 'write',
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof SmsImportError)) throw error;
    const problem =
      step === 'read'
        ? `${label} results were not written: the export they are written against could not be read (${error.describe()}).`
        : `${label} results were not written: ${error.describe()}.`;
    throw new ResultsDestinationError(
      problem,
      "Check the SMS connection's export (source); the same results are offered again next run.",
      'source',
    );
  }
}
