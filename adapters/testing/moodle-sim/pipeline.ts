/**
 * One REST call from decoded form variables to the encoded answer, following webservice/rest/server.php:
 * 403 when web services or REST are off, then authentication, function lookup, parameter validation, the
 * function itself (on a copy of the state for all-or-nothing functions) and the encoding.
 */
import { authenticateToken, resolveFunction } from './authentication';
import { codingError, MoodleException } from './errors';
import type { SiteIdentity } from './functions/call-context';
import type { PhpArray } from './form-decoding';
import { validate, type Validated } from './param-validation';
import { encodeError, encodeSuccess, HTML_CONTENT_TYPE, type EncodedResponse } from './response-encoding';
import { inTransaction, type SimState } from './state';

export interface SimRuntime {
  state: SimState;
  site: SiteIdentity;
  /** Unix seconds. */
  now(): number;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export function handleRestCall(runtime: SimRuntime, vars: PhpArray): EncodedResponse {
  const { state, site } = runtime;
  // server.php answers 403 with an empty body before looking at the token (err_webservices_disabled).
  if (!state.site.webServicesEnabled || !state.site.restEnabled)
    return { status: 403, contentType: HTML_CONTENT_TYPE, body: '' };

  // The default format is XML (err_bad_rest_format_xml_default); anything but "json" means XML.
  const format = text(vars.get('moodlewsrestformat')) === 'json' ? 'json' : 'xml';
  const token = text(vars.get('wstoken')).trim();
  const functionName = text(vars.get('wsfunction'));
  const args: PhpArray = new Map(
    [...vars].filter(
      ([key]) => !['wstoken', 'wsfunction', 'moodlewsrestformat'].includes(key) && !key.startsWith('moodlewssetting'),
    ),
  );

  try {
    const now = runtime.now();
    const auth = authenticateToken(state, token, now);
    const definition = resolveFunction(auth, functionName);
    const params = validate(definition.params, args, site.debug) as Record<string, Validated>;
    const context = (working: SimState) => ({
      state: working,
      caller: auth.user,
      site,
      serviceFunctions: auth.service?.functions ?? [],
      now,
    });
    const result =
      definition.transaction === 'all-or-nothing'
        ? inTransaction(state, (copy) => definition.run(params, context(copy)))
        : definition.run(params, context(state));
    return encodeSuccess(result ?? null, format);
  } catch (e) {
    const error = e instanceof MoodleException ? e : codingError(e instanceof Error ? e.message : String(e));
    return encodeError(error, format, site.debug);
  }
}
