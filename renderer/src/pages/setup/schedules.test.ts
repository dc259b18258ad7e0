import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, SettingsSchema } from '../../../../electron/core/model';
import { draftFromConfig, emptyDraft } from './draft';
import { buildSettings } from './validate';

describe('the wizard’s schedules', () => {
  it('writes one schedule for the upload, the part the engine runs, and one for the download', () => {
    const draft = emptyDraft();
    draft.uploadSchedule = { ...draft.uploadSchedule, kind: 'interval', minutes: '20' };
    const settings = buildSettings(draft, DEFAULT_SETTINGS, false);
    expect(Object.keys(settings.schedules).sort()).toEqual(['results', 'upload']);
    expect(settings.schedules.upload).toEqual({ kind: 'interval', minutes: 20 });
  });

  it('reopens with the upload schedule, also from settings an older version saved for three parts', () => {
    const old = SettingsSchema.parse({
      schedules: { profiles: { kind: 'interval', minutes: 90 }, enrolments: { kind: 'interval', minutes: 45 } },
    });
    expect(draftFromConfig(old, []).uploadSchedule).toMatchObject({ kind: 'interval', minutes: '45' });
  });
});
