import type { LinkDecision } from '../../core/store/repositories/link-decisions-repository';
import { CommandFailed, type Output } from './output';
import { callApi, withEngine } from './with-engine';

const REASONS: Record<LinkDecision['reason'], string> = {
  'no-idnumber': 'same username, no idnumber (made by hand or before ClassBridge)',
  'web-service-user': "the account ClassBridge's token signs in as: never linked",
  'site-admin': "the site's administrator (or guest): never linked",
  'other-auth': 'signs in another way than the accounts ClassBridge makes: never linked',
};

const STATES: Record<LinkDecision['state'], string> = {
  open: 'waiting for your decision',
  link: 'Link (the next upload links it)',
  create: 'Create with another username (the next upload creates it)',
  skip: 'Skip',
};

function describeState(d: LinkDecision): string {
  if (d.appliedAt !== null) return `${d.state}, carried out ${d.appliedAt.slice(0, 10)}`;
  return d.state === 'create' ? `${STATES.create}: ${d.username ?? d.suggestedUsername ?? '?'}` : STATES[d.state];
}

/** The two records side by side, one field a line. */
function sideBySide(d: LinkDecision, out: Output): void {
  const rows: [string, string, string][] = [
    ['', 'SMS (to create)', `LMS account ${d.lmsUserId}`],
    ['username', d.sms.username, d.lms.username],
    ['first name', d.sms.firstname, d.lms.firstname],
    ['last name', d.sms.lastname, d.lms.lastname],
    ['email', d.sms.email, d.lms.email],
    ['idnumber', d.sms.idnumber, d.lms.idnumber || '(none)'],
    ['auth', '', d.lms.auth + (d.lms.suspended ? ', suspended' : '')],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  for (const [label, sms, lms] of rows) out.line(`    ${label.padEnd(w0)}  ${sms.padEnd(w1)}  ${lms}`);
}

function choices(d: LinkDecision): string {
  const create = `\`classbridge links create ${d.id}\`${d.suggestedUsername ? ` (as ${d.suggestedUsername}; or --username <name>)` : ' --username <name>'}`;
  const link = d.linkable ? `\`classbridge links link ${d.id}\`, ` : '';
  return `Decide: ${link}${create}, or \`classbridge links skip ${d.id}\`.`;
}

/** `classbridge links list [--all] [--connection <id>]`: existing LMS accounts waiting for a decision. */
export async function linksListCommand(
  dataDir: string,
  options: { all?: boolean; connection?: string },
  out: Output,
): Promise<void> {
  const decisions = await withEngine(dataDir, (engine) =>
    callApi(engine, 'links:list', {
      ...(options.all ? { all: true } : {}),
      ...(options.connection ? { connectionId: options.connection } : {}),
    }),
  );
  out.result(decisions, () => {
    if (decisions.length === 0) {
      out.line(
        options.all
          ? 'ClassBridge has never found an existing LMS account to decide on.'
          : 'No existing LMS account is waiting for a decision.',
      );
      return;
    }
    for (const d of decisions) {
      out.line(`${d.id}  ${d.connectionId}  person ${d.smsId}: ${REASONS[d.reason]} — ${describeState(d)}`);
      sideBySide(d, out);
      if (d.appliedAt === null) out.line(`    ${choices(d)}`);
    }
  });
}

/**
 * `classbridge links link|create|skip <id> [--username <name>]`: the admin's decision on one existing
 * account. Nothing is written to the LMS now: the next upload (the schedule, or `classbridge sync upload`) carries it out.
 */
export async function linksDecideCommand(
  dataDir: string,
  id: number,
  decision: 'link' | 'create' | 'skip',
  options: { username?: string },
  out: Output,
): Promise<void> {
  const answer = await withEngine(dataDir, async (engine) => {
    const all = await callApi(engine, 'links:list', { all: true });
    if (!all.some((d) => d.id === id)) {
      const open = all.filter((d) => d.appliedAt === null).map((d) => d.id);
      throw new CommandFailed(
        `There is no link decision ${id}. ${open.length > 0 ? `Not yet carried out: ${open.join(', ')}.` : 'None is waiting.'} See \`classbridge links list\`.`,
      );
    }
    return callApi(engine, 'links:decide', {
      id,
      decision,
      ...(options.username !== undefined ? { username: options.username } : {}),
    });
  });
  out.result(answer, () => {
    out.line(answer.message);
    out.line('Run `classbridge sync upload` to carry it out now, or leave it to the next scheduled upload.');
  });
}
