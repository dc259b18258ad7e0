/** How a command reports: plain lines for people, one JSON document for scripts (--json). */
export interface Output {
  json: boolean;
  /** A human line (suppressed with --json). */
  line(text: string): void;
  /** The command's result: printed as JSON with --json, else via the human formatter. */
  result(value: unknown, human: () => void): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    line: (text) => {
      if (!json) process.stdout.write(`${text}\n`);
    },
    result: (value, human) => {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
      else human();
    },
  };
}

/** The operation failed (exit 1), as opposed to bad usage (exit 2). */
export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The command line itself was wrong (exit 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
