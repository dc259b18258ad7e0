import { KeychainUnavailableError } from '../secrets';
import { StoreError } from '../store/errors';
import { apiMethods, isApiMethod, type ApiMethod } from '../contract/contract';
import { ApiError, invalidInput, type ApiErrorBody } from '../contract/errors';
import { createHandlers, type ApiDeps, type Handlers } from './handlers';

export type ApiResponse = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

export interface ApiServiceOptions extends ApiDeps {
  /** Told about failures that are ClassBridge's fault, for the log. Never receives call inputs. */
  onInternalError?: (method: string, err: unknown) => void;
}

/**
 * The serving side of the Api: validates every input against the contract, runs the handler and
 * turns every failure into a structured error. Transports (worker messages, IPC, HTTP) only relay.
 */
export class ApiService {
  private readonly handlers: Handlers;

  constructor(private readonly options: ApiServiceOptions) {
    this.handlers = createHandlers(options);
  }

  async dispatch(method: string, input: unknown): Promise<ApiResponse> {
    if (!isApiMethod(method)) {
      return { ok: false, error: { code: 'unknown-method', message: `There is no Api method "${method}".` } };
    }
    const parsed = apiMethods[method].input.safeParse(input ?? {});
    if (!parsed.success) return { ok: false, error: invalidInput(method, parsed.error).body };
    try {
      const handler = this.handlers[method] as (input: unknown) => unknown;
      return { ok: true, result: await handler(parsed.data) };
    } catch (err) {
      return { ok: false, error: this.toErrorBody(method, err) };
    }
  }

  private toErrorBody(method: ApiMethod, err: unknown): ApiErrorBody {
    if (err instanceof ApiError) return err.body;
    if (err instanceof KeychainUnavailableError) return { code: 'keychain-unavailable', message: err.message };
    if (err instanceof StoreError) return { code: 'unavailable', message: err.message };
    this.options.onInternalError?.(method, err);
    const detail = err instanceof Error ? err.message : String(err);
    return { code: 'internal', message: `ClassBridge could not complete "${method}": ${detail}` };
  }
}
