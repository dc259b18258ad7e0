import type { LmsDiagnosis } from '../../../adapters/contract';

/**
 * The one place a failure becomes what is wrong, why and what to do: a run's error as it stops the
 * run (diagnoseRunFailure, which asks the LMS's site check where it can name what is missing), a
 * stored error or a site check (diagnose). sync/run-part.ts records the result on the run; health.ts
 * shows it.
 */

/** The part of an LmsError (or its stored form) a diagnosis needs. */
export interface LmsErrorLike {
  kind: string;
  message: string;
  fix?: string;
  /** The request that failed (LmsError.details), to name it when it stopped a whole run. */
  details?: { operation?: string };
}

export type DiagnosisKind =
  | 'ok'
  | 'token-invalid'
  | 'functions-missing'
  | 'access'
  | 'permission'
  | 'unreachable'
  | 'certificate'
  | 'timeout'
  | 'web-services-disabled'
  | 'maintenance'
  | 'server'
  | 'data'
  | 'unknown';

/** What is wrong and what to do, for a school administrator. */
export interface Diagnosis {
  kind: DiagnosisKind;
  /** One or two sentences: what is wrong. */
  summary: string;
  /** What to do about it, step by step where there are steps. */
  fix: string;
  /** True when ClassBridge recovers by itself once the cause goes away (nothing to change in ClassBridge). */
  retriesOnItsOwn: boolean;
  /** For functions-missing: the web-service functions to add to the ClassBridge service. */
  missingFunctions?: string[];
}

export interface DiagnoseOptions {
  /** What `describe()` (core_webservice_get_site_info) said, when it could still be called. */
  site?: LmsDiagnosis;
  /** How to name the LMS, e.g. "Moodle" or the connection's name (default "the LMS"). */
  lmsName?: string;
}

const SERVICES_PATH = 'Site administration › Server › Web services';

/**
 * Why a run could not talk to the LMS, in words and with the fix. When the LMS still answers
 * `core_webservice_get_site_info` (`describe`), its list of allowed functions names exactly what the
 * token may no longer call; when even that fails, the error itself says enough (token, host,
 * certificate). A refusal that stopped the whole run is not blamed on a record.
 */
export async function diagnoseRunFailure(
  error: unknown,
  lmsName: string,
  describe: () => Promise<LmsDiagnosis>,
): Promise<Diagnosis> {
  if (isLmsErrorLike(error) && SITE_CHECK_NAMES_IT.has(error.kind)) {
    const site = await describe().catch(() => undefined);
    return diagnose(error, { lmsName, ...(site ? { site } : {}) });
  }
  return isLmsErrorLike(error) && RECORD_KINDS.has(error.kind)
    ? notAboutARecord(error, lmsName)
    : diagnose(error, { lmsName });
}

/** Kinds the site check can explain: it lists the functions the token may call. */
const SITE_CHECK_NAMES_IT: ReadonlySet<string> = new Set(['access', 'no-permission']);

/** Kinds whose stored fix is about one refused record (check its username, email, names in the SMS). */
const RECORD_KINDS: ReadonlySet<string> = new Set(['invalid-parameter', 'not-found', 'conflict']);

/**
 * A refusal that stopped the whole run (a read, or a call about no record) names no record, so the
 * record's fix would send the admin to the SMS for nothing. Record refusals never get here: the apply
 * isolates them and stores each with its own fix.
 */
function notAboutARecord(error: LmsErrorLike, lmsName: string): Diagnosis {
  const what = error.details?.operation ? `its request ${error.details.operation}` : 'a request';
  return {
    kind: 'data',
    summary: `${cap(lmsName)} refused ${what}, which stopped the whole run, not one record: ${error.message}`,
    fix:
      `Nothing in the SMS needs changing. This happens when ${lmsName} refers to something deleted there (run course tracking so deleted courses are marked Deleted) ` +
      `or is a version ClassBridge does not expect. Run the part again; if it keeps failing, send the ClassBridge log to your support contact.`,
    retriesOnItsOwn: false,
  };
}

/**
 * Turns a failure (an LmsError or anything thrown) or a site check into plain words and a fix.
 * Given an access error and the site check, it names the functions the token may no longer call.
 */
export function diagnose(subject: LmsErrorLike | LmsDiagnosis | unknown, options: DiagnoseOptions = {}): Diagnosis {
  const lms = options.lmsName ?? 'the LMS';
  if (isSiteDiagnosis(subject)) return fromSiteCheck(subject, lms);
  if (!isLmsErrorLike(subject)) {
    const message = subject instanceof Error ? subject.message : String(subject);
    return unknown(message, undefined);
  }
  const error = subject;
  switch (error.kind) {
    case 'invalid-token':
      return {
        kind: 'token-invalid',
        summary: `ClassBridge's key to ${lms} (its web-service token) no longer works: it was deleted, replaced or has expired.`,
        fix: `In ${lms}, create a new token for the ClassBridge service (${SERVICES_PATH} › Manage tokens), then enter it in ClassBridge under this connection's settings.`,
        retriesOnItsOwn: false,
      };
    case 'access': {
      const missing = options.site && !options.site.ok ? fromSiteCheck(options.site, lms) : undefined;
      if (missing) return missing;
      return {
        kind: 'access',
        summary: `${cap(lms)} no longer lets ClassBridge in: the ClassBridge service or the user its token belongs to was changed.`,
        fix:
          error.fix ??
          `In ${lms}, check ${SERVICES_PATH}: the ClassBridge service is enabled, its user is still an authorised user and not suspended, and the token has not expired. Then use Test connection in ClassBridge.`,
        retriesOnItsOwn: false,
      };
    }
    case 'web-services-disabled':
      return {
        kind: 'web-services-disabled',
        summary: `Web services are switched off in ${lms}, so ClassBridge cannot talk to it.`,
        fix: `In ${lms}, turn on Site administration › Advanced features › Enable web services, then enable the REST protocol under ${SERVICES_PATH} › Manage protocols.`,
        retriesOnItsOwn: false,
      };
    case 'maintenance':
      return {
        kind: 'maintenance',
        summary: `${cap(lms)} is in maintenance mode (often during an upgrade).`,
        fix: `Nothing to do in ClassBridge: it tries again on its own. If the upgrade is over and this stays, turn maintenance mode off in ${lms} (Site administration › Server › Maintenance mode).`,
        retriesOnItsOwn: true,
      };
    case 'network':
      return /certificate|ssl|tls|cert_/i.test(error.message)
        ? certificate(error.message, lms)
        : unreachable(error, lms);
    case 'timeout':
      return {
        kind: 'timeout',
        summary: `${cap(lms)} did not answer in time; it may be overloaded or very slow.`,
        fix: `Nothing to do at first: ClassBridge tries again. If it keeps happening, ask whoever runs ${lms} to check the server's load.`,
        retriesOnItsOwn: true,
      };
    case 'server':
      return {
        kind: 'server',
        summary: `${cap(lms)} (or a proxy in front of it) failed and sent an error page instead of an answer.`,
        fix: error.fix ?? `ClassBridge tries again. If it persists, ask whoever runs ${lms} to check its error log.`,
        retriesOnItsOwn: true,
      };
    case 'no-permission':
    case 'require-login':
      return {
        kind: 'permission',
        summary: `The ${lms} user ClassBridge works as is not allowed to do this: ${error.message}`,
        fix: error.fix ?? `Give the ClassBridge role in ${lms} the permission named above, then run the part again.`,
        retriesOnItsOwn: false,
      };
    case 'invalid-parameter':
    case 'not-found':
    case 'conflict':
    case 'truncated':
      return {
        kind: 'data',
        summary: `${cap(lms)} refused some data: ${error.message}`,
        fix: error.fix ?? 'Check the record named above in the SMS, then run the part again.',
        retriesOnItsOwn: false,
      };
    default:
      return unknown(error.message, error.fix);
  }
}

function fromSiteCheck(site: LmsDiagnosis, lms: string): Diagnosis {
  const missingFeatures = site.features.filter((f) => !f.available);
  if (missingFeatures.length === 0) {
    return {
      kind: 'ok',
      summary: `ClassBridge can reach ${lms} and may do everything it needs.`,
      fix: '',
      retriesOnItsOwn: false,
    };
  }
  const missingFunctions = [...new Set(missingFeatures.flatMap((f) => f.missingFunctions))];
  const what = missingFeatures.map((f) => f.label.toLowerCase()).join(', ');
  return {
    kind: 'functions-missing',
    summary: `ClassBridge is no longer allowed to ${what} in ${lms}: the ClassBridge service lacks ${missingFunctions.join(', ')}.`,
    fix: `In ${lms}, go to ${SERVICES_PATH} › External services, open the ClassBridge service, choose Functions, and add: ${missingFunctions.join(', ')}.`,
    retriesOnItsOwn: false,
    missingFunctions,
  };
}

function certificate(message: string, lms: string): Diagnosis {
  const summary = /expired/i.test(message)
    ? `The security certificate of ${lms} has expired, so ClassBridge will not send student data to it.`
    : /altname|hostname|does not match/i.test(message)
      ? `The security certificate of ${lms} is for a different address than the one ClassBridge uses.`
      : `The security certificate of ${lms} is not trusted by this computer (it may be self-signed or issued by the school's own authority), so ClassBridge will not send student data to it.`;
  const fix = /expired/i.test(message)
    ? `Ask whoever runs ${lms} to renew its HTTPS certificate. ClassBridge connects again by itself once it is renewed.`
    : /altname|hostname|does not match/i.test(message)
      ? `Check that the site address in ClassBridge is exactly the one in the certificate (for example https://moodle.school.nz, not an IP address or an old name).`
      : `Ask whoever runs ${lms} to install a certificate from a public authority (for example a free Let's Encrypt one). If the school uses its own certificate authority, your IT support can make it trusted for ClassBridge (NODE_EXTRA_CA_CERTS).`;
  return { kind: 'certificate', summary, fix, retriesOnItsOwn: false };
}

function unreachable(error: LmsErrorLike, lms: string): Diagnosis {
  const summary = /ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(error.message)
    ? `The address of ${lms} could not be found: it may be mistyped, or this computer is offline.`
    : /ECONNREFUSED/i.test(error.message)
      ? `${cap(lms)} refused the connection: the server may be down, or the address or port is wrong.`
      : `ClassBridge could not reach ${lms}.`;
  return {
    kind: 'unreachable',
    summary,
    fix: `Open ${lms} in a browser on this computer. If that fails too, check the network connection, or ask whoever runs ${lms} whether it is up. If it works, check the site address in ClassBridge. ClassBridge keeps trying on its own.`,
    retriesOnItsOwn: true,
  };
}

function unknown(message: string, fix: string | undefined): Diagnosis {
  return {
    kind: 'unknown',
    summary: `Something unexpected went wrong: ${message}`,
    fix: fix ?? 'Try the part again. If it keeps failing, send the ClassBridge log to your support contact.',
    retriesOnItsOwn: false,
  };
}

function isSiteDiagnosis(value: unknown): value is LmsDiagnosis {
  return typeof value === 'object' && value !== null && 'features' in value && 'site' in value;
}

function isLmsErrorLike(value: unknown): value is LmsErrorLike {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['kind'] === 'string' && typeof v['message'] === 'string';
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
