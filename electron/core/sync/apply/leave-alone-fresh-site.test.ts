import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../../test-support/temp';
import { moodleAdapter, syntheticSchool, upload, useFreshSite } from '../../../test-support/upload-harness';
import { DEFAULT_SETTINGS } from '../../model';
import { previewUpload } from '../upload/preview-upload';

const tempDir = useTempDirs();
const site = useFreshSite(tempDir);

describe('leave-alone marks on a fresh site (no participants, no roles learnt, nothing created yet)', () => {
  it('marked before the first upload: the person is never created, the course never made, the rest goes up', async () => {
    const school = syntheticSchool(6, 3);
    const { sim, store, connection } = await site.open({}, school);
    store.leaveAlone.add(connection.id, 'person', 'S2');
    store.leaveAlone.add(connection.id, 'course', 'C1');
    const marked = school.courses.find((c) => c.smsId === 'C1')!;

    const dry = previewUpload(store, connection, DEFAULT_SETTINGS);
    expect(dry.summary).toContain('Left alone, as you asked: 1 person and 1 course');

    const result = await upload(store, moodleAdapter(sim), connection);
    expect(result.outcome).toBe('ok');
    const usernames = [...sim.state.users.values()].filter((u) => !u.deleted).map((u) => u.username);
    const s2 = school.people.find((p) => p.smsId === 'S2')!;
    const s3 = school.people.find((p) => p.smsId === 'S3')!;
    expect(usernames).not.toContain(s2.username);
    expect(usernames).toContain(s3.username);
    const shortnames = [...sim.state.courses.values()].map((c) => c.shortname);
    expect(shortnames).not.toContain(marked.code);
    expect(shortnames).toContain(school.courses.find((c) => c.smsId === 'C0')!.code);
    // Nothing was enrolled into a course that does not exist, and nobody failed for it.
    expect(store.runs.listErrors({ connectionId: connection.id })).toEqual([]);
  });
});
