/**
 * A faithful Moodle web-services simulator for tests and the demo: the REST protocol the Moodle client
 * speaks, with Moodle's error shapes, batch semantics, PHP form limits and injectable failures. See README.md.
 */
import { randomBytes } from 'node:crypto';
import { ALL_CAPABILITIES } from './capabilities';
import { SIMULATED_FUNCTIONS } from './functions/names';
import { DEFAULT_CONNECTOR_TOKEN, defaultSeed, seedUser } from './seed';
import { SimHttpServer } from './server';
import { createState, takeId, type SimState, type SimToken } from './state';
import type { MoodleSim, MoodleSimOptions, SimLatency } from './types';

export type { MoodleSim, MoodleSimOptions, SimFault, SimLatency } from './types';
export type { SimSeed } from './seed';
export type * from './state';
export {
  defaultSeed,
  freshSiteSeed,
  type FreshSiteOptions,
  seedCourse,
  seedUser,
  standardRoles,
  DEFAULT_CONNECTOR_TOKEN,
  LIMITED_CAPABILITIES,
} from './seed';
export { ALL_CAPABILITIES } from './capabilities';
export { addActivities, gradeItem, gradeStudent, studentsByCourse, type ActivitySpec } from './grading';
export { SIMULATED_FUNCTIONS } from './functions/names';
export { addParentRole, userContextRolesOf, type SimUserContextRole } from './functions/role-assign';

/** The lab site's release (ok_core_webservice_get_site_info). */
const MOODLE_RELEASE = '5.1+ (Build: 20251017)';
const MOODLE_VERSION = '2025100600.02';
/** A Totara 17 site's legacy web services: Totara keeps Moodle's version numbering from its last merge. */
const TOTARA_RELEASE = 'Totara 17.0 (Build: 20230807.00)';
const TOTARA_VERSION = '2017111309.00';

export async function startMoodleSim(options: MoodleSimOptions = {}): Promise<MoodleSim> {
  const seed = options.seed ?? defaultSeed();
  const state = createState(seed);
  const family = options.family ?? 'moodle';
  const site = {
    url: '',
    family,
    debug: options.debug ?? false,
    release: options.release ?? (family === 'totara' ? TOTARA_RELEASE : MOODLE_RELEASE),
    version: options.version ?? (family === 'totara' ? TOTARA_VERSION : MOODLE_VERSION),
  };
  const runtime = { state, site, now: () => Math.floor(Date.now() / 1000) };
  const server = new SimHttpServer(
    runtime,
    { latency: options.latency ?? { perRequestMs: 0, perItemMs: 0 }, maxInputVars: options.maxInputVars ?? 1000 },
    options.maxConcurrent,
  );
  site.url = await server.listen();
  const connectorToken = seed.tokens[0]?.token ?? DEFAULT_CONNECTOR_TOKEN;
  return new MoodleSimControl(site.url, connectorToken, state, server);
}

class MoodleSimControl implements MoodleSim {
  constructor(
    readonly url: string,
    readonly token: string,
    readonly state: SimState,
    private readonly server: SimHttpServer,
  ) {}

  private tokenRecord(token: string): SimToken {
    const record = this.state.tokens.get(token);
    if (!record) throw new Error(`moodle-sim: no such token ${token}`);
    return record;
  }

  private serviceOf(token: string) {
    const service = this.state.services.get(this.tokenRecord(token).serviceid);
    if (!service) throw new Error(`moodle-sim: token ${token} has no service`);
    return service;
  }

  private userOf(token: string) {
    const user = this.state.users.get(this.tokenRecord(token).userid);
    if (!user) throw new Error(`moodle-sim: token ${token} has no user`);
    return user;
  }

  createToken(options: { functions?: string[]; capabilities?: string[] | 'all'; siteAdmin?: boolean } = {}): string {
    const state = this.state;
    const serviceId = takeId(state, 'service');
    state.services.set(serviceId, {
      id: serviceId,
      name: `Test service ${serviceId}`,
      shortname: `sim_service_${serviceId}`,
      enabled: true,
      restrictedUsers: false,
      authorisedUsers: new Set(),
      functions: [...(options.functions ?? SIMULATED_FUNCTIONS)],
    });
    const userId = takeId(state, 'user');
    const capabilities =
      options.capabilities === undefined || options.capabilities === 'all' ? ALL_CAPABILITIES : options.capabilities;
    state.users.set(
      userId,
      seedUser({
        id: userId,
        username: `wsuser${userId}`,
        firstname: 'Token',
        lastname: `User ${userId}`,
        siteAdmin: options.siteAdmin ?? false,
        capabilities: new Set(capabilities),
        timecreated: Math.floor(Date.now() / 1000),
      }),
    );
    const token = randomBytes(16).toString('hex');
    state.tokens.set(token, { token, userid: userId, serviceid: serviceId, validuntil: 0 });
    return token;
  }

  revokeFunction(token: string, fn: string): void {
    const service = this.serviceOf(token);
    service.functions = service.functions.filter((f) => f !== fn);
  }

  restoreFunction(token: string, fn: string): void {
    const service = this.serviceOf(token);
    if (!service.functions.includes(fn)) service.functions.push(fn);
  }

  revokeCapability(token: string, capability: string): void {
    this.userOf(token).capabilities.delete(capability);
  }

  grantCapability(token: string, capability: string): void {
    this.userOf(token).capabilities.add(capability);
  }

  deleteToken(token: string): void {
    this.state.tokens.delete(token);
  }

  expireToken(token: string): void {
    this.tokenRecord(token).validuntil = 1;
  }

  suspendTokenUser(token: string): void {
    this.userOf(token).suspended = true;
  }

  disableService(token: string): void {
    this.serviceOf(token).enabled = false;
  }

  setWebServicesEnabled(enabled: boolean): void {
    this.state.site.webServicesEnabled = enabled;
  }

  setMaintenance(on: boolean): void {
    this.state.site.maintenance = on;
  }

  setLatency(latency: SimLatency): void {
    this.server.settings.latency = { ...latency };
  }

  setMaxConcurrent(n: number | undefined): void {
    this.server.pool.setLimit(n);
  }

  setMaxInputVars(n: number): void {
    this.server.settings.maxInputVars = n;
  }

  injectFault(fault: Parameters<MoodleSim['injectFault']>[0], when?: { function?: string; times?: number }): void {
    this.server.faults.add(fault, when);
  }

  clearFaults(): void {
    this.server.faults.clear();
  }

  requestCount(fn?: string): number {
    return this.server.requestCount(fn);
  }

  itemCount(fn?: string): number {
    return this.server.itemCount(fn);
  }

  serviceTime(): number {
    return this.server.serviceTime();
  }

  peakConcurrency(): number {
    return this.server.pool.peakConcurrency();
  }

  accessLog(): readonly { method: string; url: string }[] {
    return this.server.accessLog();
  }

  resetCounters(): void {
    this.server.resetCounters();
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
