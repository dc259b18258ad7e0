import { ApiError, ApiErrorBodySchema } from '../../../electron/core/contract/errors';

/**
 * Both transports hand us an error body we did not produce. Trust it only if it has the contract's shape;
 * anything else (a proxy page, a crash) becomes an 'unavailable' error the admin can still read.
 */
export function apiErrorFrom(body: unknown, fallbackMessage: string): ApiError {
  const parsed = ApiErrorBodySchema.safeParse(body);
  return new ApiError(parsed.success ? parsed.data : { code: 'unavailable', message: fallbackMessage });
}
