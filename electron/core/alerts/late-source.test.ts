import { describe, expect, it } from 'vitest';
import { describeCadence, learnCadence, lateSource, type Intake } from './late-source';

const TZ = 'Pacific/Auckland';

/** KAMAR full pushes at 22:14 NZ time on each of `nights` nights before Monday 9 March 2026 (inclusive). */
function nightlyPushes(nights: number, extra: Intake[] = []): Intake[] {
  // Monday 9 March 2026 22:14 NZDT = 09:14Z.
  const last = Date.parse('2026-03-09T09:14:00Z');
  const pushes = Array.from({ length: nights }, (_, i) => ({
    at: new Date(last - i * 86_400_000),
    message: 'Imported KAMAR full push (3 parts).',
  }));
  return [...extra, ...pushes].sort((a, b) => b.at.getTime() - a.at.getTime());
}

describe('late source', () => {
  it('learns a nightly KAMAR push and says it is late once a night is missed, in the school’s time', () => {
    const intakes = nightlyPushes(10);
    const at = (iso: string) =>
      lateSource({ intakes, provider: 'kamar', settings: { mode: 'learn' }, timeZone: TZ, now: new Date(iso) });
    // Tuesday 22:14 came and went: not late yet (a push can run a little late).
    expect(at('2026-03-10T12:00:00Z')).toBeNull();
    // Wednesday 11:15 NZ: 37 hours since the last push; usual 24 → late after 37 h.
    const late = at('2026-03-10T22:30:00Z');
    expect(late).toMatchObject({ source: 'KAMAR full push', everyHours: 24, learnt: true });
    expect(late?.words).toBe('No KAMAR full push since Monday 22:14 — usually every night.');
    expect(late?.fix).toMatch(/Directory Services/);
  });

  it('only full pushes set the cadence: the small pushes in between do not make "every hour"', () => {
    const small = [1, 2, 3, 4, 5].map((h) => ({
      at: new Date(Date.parse('2026-03-08T23:00:00Z') + h * 3_600_000),
      message: 'Imported KAMAR part push (1 part).',
    }));
    const late = lateSource({
      intakes: nightlyPushes(6, small),
      provider: 'kamar',
      settings: { mode: 'learn' },
      timeZone: TZ,
      now: new Date('2026-03-10T22:30:00Z'),
    });
    expect(late?.everyHours).toBe(24);
  });

  it('learns nothing from too few imports, and says nothing', () => {
    expect(learnCadence(nightlyPushes(3))).toBeUndefined();
    expect(learnCadence(nightlyPushes(4))).toBe(24);
    expect(
      lateSource({
        intakes: nightlyPushes(3),
        provider: 'kamar',
        settings: { mode: 'learn' },
        timeZone: TZ,
        now: new Date('2026-03-20T00:00:00Z'),
      }),
    ).toBeNull();
  });

  it('takes the cadence from the admin: a weekly export expected every 168 hours', () => {
    const intakes = [{ at: new Date('2026-03-02T01:00:00Z'), message: 'Imported NAT export students.txt.' }];
    const input = {
      intakes,
      provider: 'vettrak' as const,
      settings: { mode: 'fixed' as const, everyHours: 168 },
      timeZone: TZ,
    };
    expect(lateSource({ ...input, now: new Date('2026-03-08T23:00:00Z') })).toBeNull();
    const late = lateSource({ ...input, now: new Date('2026-03-09T02:00:00Z') });
    expect(late?.words).toBe('No VETtrak import since Monday 2 March 14:00 — expected every week.');
    expect(late?.learnt).toBe(false);
  });

  it('off means off', () => {
    expect(
      lateSource({
        intakes: nightlyPushes(10),
        provider: 'kamar',
        settings: { mode: 'off' },
        timeZone: TZ,
        now: new Date('2027-01-01'),
      }),
    ).toBeNull();
  });

  it('puts the cadence in words', () => {
    expect(describeCadence(24, 22)).toBe('every night');
    expect(describeCadence(24, 9)).toBe('every day');
    expect(describeCadence(168, 9)).toBe('every week');
    expect(describeCadence(6, 9)).toBe('every 6 hours');
    expect(describeCadence(72, 9)).toBe('every 3 days');
  });
});
