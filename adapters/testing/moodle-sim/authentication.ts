/**
 * The checks webservice/lib.php makes before a function runs, in Moodle's order (§8): token, token
 * expiry, the token user's state, webservice/rest:use, maintenance mode, then whether the function
 * exists and whether the token's service allows it.
 */
import { accessException, functionNotAllowed, invalidToken, missingRecord, moodleException } from './errors';
import { KNOWN_UNIMPLEMENTED_FUNCTIONS } from './functions/names';
import { FUNCTIONS } from './functions/registry';
import type { FunctionDefinition } from './functions/call-context';
import type { SimService, SimState, SimUser } from './state';

export interface Authenticated {
  user: SimUser;
  service: SimService | undefined;
}

const has = (user: SimUser, capability: string): boolean => user.siteAdmin || user.capabilities.has(capability);

export function authenticateToken(state: SimState, token: string, now: number): Authenticated {
  const record = token === '' ? undefined : state.tokens.get(token);
  if (!record) throw invalidToken();
  if (record.validuntil !== 0 && record.validuntil < now) {
    // Moodle deletes the expired token while refusing it, so the next call gets invalidtoken (err_revoked_expire*).
    state.tokens.delete(token);
    throw accessException('Invalid token - token expired - check validuntil time for the token');
  }
  const user = state.users.get(record.userid);
  if (!user || user.deleted)
    throw missingRecord('user', 'SELECT * FROM {user} WHERE id = ? AND deleted = ?', [record.userid, 0]);
  if (!user.confirmed)
    throw moodleException(
      'wsaccessuserunconfirmed',
      `Refused web service access for unconfirmed username: ${user.username}`,
    );
  if (user.suspended)
    throw moodleException(
      'wsaccessusersuspended',
      `Refused web service access for suspended username: ${user.username}`,
    );
  if (user.auth === 'nologin') {
    throw moodleException(
      'wsaccessusernologin',
      `Refused web service access for nologin authentication username: ${user.username}`,
    );
  }
  // Removing the capability or the whole role assignment both end here (err_revoked_norestuse, err_revoked_unassignrole).
  if (!has(user, 'webservice/rest:use')) {
    throw accessException('You are not allowed to use the rest protocol (missing capability: webservice/rest:use)');
  }
  if (state.site.maintenance && !has(user, 'moodle/site:maintenanceaccess')) {
    throw moodleException('sitemaintenance', 'This site is undergoing maintenance and is currently not available');
  }
  return { user, service: state.services.get(record.serviceid) };
}

/**
 * external_api::external_function_info (an unknown name is a missing external_functions row,
 * err_function_does_not_exist), then the service check, which gives the same accessexception whether
 * the function is missing from the service, the service is disabled or the user is not authorised.
 */
export function resolveFunction(auth: Authenticated, name: string): FunctionDefinition {
  const definition = FUNCTIONS.get(name);
  const known = definition !== undefined || (KNOWN_UNIMPLEMENTED_FUNCTIONS as readonly string[]).includes(name);
  if (!known) throw missingRecord('external_functions', 'SELECT * FROM {external_functions} WHERE name = ?', [name]);
  const service = auth.service;
  const allowed =
    service !== undefined &&
    service.enabled &&
    (!service.restrictedUsers || service.authorisedUsers.has(auth.user.id)) &&
    service.functions.includes(name);
  if (!allowed) throw functionNotAllowed(name);
  if (!definition) throw moodleException('notsimulated', `The simulator does not implement ${name}`);
  return definition;
}
