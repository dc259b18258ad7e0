import { z } from 'zod';

/**
 * Every failed Api call carries one of these, on every transport. `field` names the first bad input
 * field (dotted path) so a form can put the message next to it.
 */
export const ApiErrorCodeSchema = z.enum([
  'invalid-input',
  'unknown-method',
  'not-found',
  'conflict',
  'keychain-unavailable',
  'unavailable',
  'internal',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCodeSchema>;

export const ApiErrorBodySchema = z.object({
  code: ApiErrorCodeSchema,
  message: z.string(),
  field: z.string().optional(),
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
  }
  get code(): ApiErrorCode {
    return this.body.code;
  }
  get field(): string | undefined {
    return this.body.field;
  }
}

/** Turns a zod failure into an error that names the field, as the admin would read it. */
export function invalidInput(method: string, error: z.ZodError): ApiError {
  const issues = error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(input)', message: i.message }));
  const first = issues[0] ?? { field: '(input)', message: 'Invalid input' };
  return new ApiError({
    code: 'invalid-input',
    message: `${method}: ${first.field}: ${first.message}`,
    field: first.field,
    issues,
  });
}
