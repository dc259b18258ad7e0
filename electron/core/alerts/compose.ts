/**
 * Transitions and digests in words: the alert body a webhook receives and an email is written from.
 * Where the admin acts is said both ways, the app and the CLI, because a server nobody watches is
 * the main case.
 */
import { randomUUID } from 'node:crypto';
import { partWithLms, type AlertKind } from '../model';
import type { AlertBody, DigestDetails } from './alert-body';
import type { Transition } from './transitions';

interface Meta {
  raisedAt: Date;
  test?: boolean;
}

function common(meta: Meta) {
  return {
    schema: 'classbridge.alert/1' as const,
    id: randomUUID(),
    test: meta.test ?? false,
    raisedAt: meta.raisedAt.toISOString(),
  };
}

export function composeTransition(transition: Transition, meta: Meta): AlertBody {
  const tag = meta.test ? '[TEST] ' : '';
  switch (transition.kind) {
    case 'problem': {
      const { parts } = transition;
      const title =
        parts.length === 1 && parts[0]
          ? `${partWithLms(parts[0].part, parts[0].lmsName)} has a problem`
          : `${parts.length} parts of the sync have a problem`;
      const text = parts
        .map((p) => `${partWithLms(p.part, p.lmsName)}: ${p.words}${p.fix ? `\nWhat to do: ${p.fix}` : ''}`)
        .join('\n\n');
      return {
        ...common(meta),
        kind: 'problem',
        title: tag + title,
        text,
        action: 'Open ClassBridge → Dashboard, or run `classbridge status` and `classbridge errors list`.',
        details: {
          parts: parts.map((p) => ({
            lmsId: p.lmsId,
            lms: p.lmsName,
            part: p.part,
            words: p.words,
            ...(p.fix ? { fix: p.fix } : {}),
          })),
        },
      };
    }
    case 'held': {
      const { plans } = transition;
      const lmsNames = [...new Set(plans.map((p) => p.lmsName))].join(', ');
      const title =
        plans.length === 1
          ? `An upload to ${lmsNames} is waiting for your approval`
          : `${plans.length} uploads are waiting for your approval`;
      return {
        ...common(meta),
        kind: 'held',
        title: tag + title,
        text: plans.map((p) => `${partWithLms(p.part, p.lmsName)} (held plan ${p.id}): ${p.message}`).join('\n\n'),
        action:
          'Review it in ClassBridge → Dashboard → Held uploads, or run `classbridge held show <id>` then `classbridge held approve <id>` or `reject <id>`. Nothing is removed until you decide.',
        details: {
          plans: plans.map((p) => ({
            id: p.id,
            lmsId: p.connectionId,
            lms: p.lmsName,
            part: p.part,
            message: p.message,
            createdAt: p.createdAt,
          })),
        },
      };
    }
    case 'links': {
      const n = transition.count;
      return {
        ...common(meta),
        kind: 'links',
        title: `${tag}${n} existing LMS account${n === 1 ? '' : 's'} wait${n === 1 ? 's' : ''} for a link decision`,
        text: `ClassBridge found ${n} account${n === 1 ? '' : 's'} in the LMS that may be people from the SMS. Nothing is written to ${n === 1 ? 'it' : 'them'} until you choose Link, Create or Skip.`,
        action: 'Open ClassBridge → Links, or run `classbridge links list`.',
        details: { count: n },
      };
    }
    case 'update':
      return {
        ...common(meta),
        kind: 'update',
        title: `${tag}A ClassBridge update is ready`,
        text: `Version ${transition.version} is downloaded and is installed when ClassBridge restarts.`,
        action: 'Restart ClassBridge (the tray menu → Quit, then start it again).',
        details: { version: transition.version },
      };
    case 'late-source':
      return {
        ...common(meta),
        kind: 'late-source',
        title: `${tag}The SMS data is late: ${transition.late.source}`,
        text: `${transition.late.words}\nUntil new data arrives, every sync runs on the data from ${transition.late.lastAt}.`,
        action: transition.late.fix,
        details: transition.late,
      };
  }
}

export function composeDigest(details: DigestDetails, meta: Meta & { every: 'day' | 'week' }): AlertBody {
  const tag = meta.test ? '[TEST] ' : '';
  const lines: string[] = [];
  const runs = details.parts.reduce((n, p) => n + p.ok + p.partial + p.failed + p.held, 0);
  lines.push(`From ${details.from} to ${details.to}: ${runs} run${runs === 1 ? '' : 's'}.`);
  for (const p of details.parts) {
    const bits = [
      p.ok ? `${p.ok} ok` : '',
      p.partial ? `${p.partial} partial` : '',
      p.failed ? `${p.failed} failed` : '',
      p.held ? `${p.held} held` : '',
    ].filter(Boolean);
    lines.push(`- ${partWithLms(p.part, p.lms)}: ${bits.join(', ') || 'did not run'}`);
  }
  lines.push(`SMS imports: ${details.imports.ok} stored, ${details.imports.failed} refused.`);
  const counts = Object.entries(details.counts).filter(([, n]) => n > 0);
  if (counts.length > 0) lines.push(`Changes: ${counts.map(([k, n]) => `${k} ${n}`).join(', ')}.`);
  lines.push(`Results delivered to the SMS: ${details.resultsDelivered}.`);
  lines.push(`Errors open now: ${details.openErrors}.`);
  return {
    ...common(meta),
    kind: 'digest',
    title: `${tag}ClassBridge ${meta.every === 'week' ? 'weekly' : 'daily'} digest: ${details.openErrors === 0 ? 'no errors open' : `${details.openErrors} error${details.openErrors === 1 ? '' : 's'} open`}`,
    text: lines.join('\n'),
    action: 'Open ClassBridge → History, or run `classbridge status`.',
    details,
  };
}

/** One sample of each kind, for `alerts:test`: the admin sees what each would look like. */
export function testBodies(now: Date, kinds: readonly AlertKind[]): AlertBody[] {
  const meta = { raisedAt: now, test: true };
  const at = now.toISOString();
  const samples: Record<AlertKind, () => AlertBody> = {
    problem: () =>
      composeTransition(
        {
          kind: 'problem',
          parts: [
            {
              key: 'moodle:upload',
              lmsId: 'moodle',
              lmsName: 'Moodle',
              part: 'upload',
              words: 'This is a test alert: no part has a problem.',
              fix: 'Nothing to do.',
            },
          ],
        },
        meta,
      ),
    held: () =>
      composeTransition(
        {
          kind: 'held',
          plans: [
            {
              id: 0,
              connectionId: 'moodle',
              lmsName: 'Moodle',
              part: 'upload',
              message: 'This is a test alert: no upload is held.',
              createdAt: at,
            },
          ],
        },
        meta,
      ),
    links: () => composeTransition({ kind: 'links', count: 1 }, meta),
    update: () => composeTransition({ kind: 'update', version: '0.0.0-test' }, meta),
    'late-source': () =>
      composeTransition(
        {
          kind: 'late-source',
          late: {
            source: 'SMS',
            lastAt: at,
            everyHours: 24,
            learnt: true,
            words: 'This is a test alert: the SMS is not late.',
            fix: 'Nothing to do.',
          },
        },
        meta,
      ),
    digest: () =>
      composeDigest(
        {
          from: at,
          to: at,
          parts: [],
          imports: { ok: 0, failed: 0 },
          counts: {},
          openErrors: 0,
          resultsDelivered: 0,
        },
        { ...meta, every: 'day' },
      ),
  };
  return kinds.map((kind) => samples[kind]());
}
