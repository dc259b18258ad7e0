import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  KAMAR_MALFORMED_BODY,
  kamarCheckMessage,
  kamarFullPush,
  kamarPartPush,
  kamarUnusedMessage,
} from '../../testing/sms-fixtures/kamar';
import { generateSchool } from '../../testing/sms-fixtures/school';
import { startKamarReceiver, type KamarReceiver, type KamarReceiverOptions } from './receiver';
import { answerOf, basic, post, recordingLogger, sleep, snapshotCollector, waitFor } from './test-support';

const school = generateSchool({ seed: 7 });
const AUTH = basic('kamar', 's3cret-value');
const SETTLE = 120;
let receiver: KamarReceiver | undefined;

afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function start(extra: Partial<KamarReceiverOptions> = {}) {
  const collector = snapshotCollector();
  const logger = recordingLogger();
  receiver = await startKamarReceiver({
    host: '127.0.0.1',
    tls: { kind: 'none', allowInsecure: false },
    username: 'kamar',
    secret: 's3cret-value',
    settleMs: SETTLE,
    logger,
    onSnapshot: collector.onSnapshot,
    onDiscard: collector.onDiscard,
    ...extra,
  });
  return { url: receiver.url, collector, logger };
}

const send = (url: string, message: unknown) => post(url, JSON.stringify(message), { authorization: AUTH });

describe('KAMAR receiver', () => {
  it('check request answered with the options KAMAR needs', async () => {
    const { url, collector } = await start({ infoUrl: 'https://school.example/classbridge' });
    const reply = await send(url, kamarCheckMessage(school));
    expect(reply.status).toBe(200);
    const answer = answerOf(reply);
    expect(answer).toMatchObject({ error: 0, result: 'OK', status: 'Ready', countryDataStored: 'New Zealand' });
    expect(answer.infourl).toBe('https://school.example/classbridge');
    expect(String(answer.privacystatement)).toContain('Privacy Act 2020');
    const options = answer.options as Record<string, Record<string, unknown>>;
    expect(options.students).toMatchObject({ details: true, groups: true, passwords: false, attendance: false });
    expect(options.staff).toMatchObject({ details: true, passwords: false });
    expect(options.common).toMatchObject({ subjects: true });
    await sleep(SETTLE * 2);
    expect(collector.results).toHaveLength(0);
  });

  it('full push in 3 chunks merged into one snapshot', async () => {
    const { url, collector } = await start();
    const chunks = kamarFullPush(school, { chunks: 3 });
    expect(chunks).toHaveLength(3);
    for (const chunk of chunks) expect(answerOf(await send(url, chunk))).toMatchObject({ error: 0, result: 'OK' });
    expect(await waitFor(() => collector.results.length === 1)).toBe(true);
    await sleep(SETTLE * 2);
    expect(collector.results).toHaveLength(1);
    const result = collector.results[0];
    const { snapshot } = result ?? { snapshot: { people: [], courses: [], groups: [], enrolments: [] } };
    const students = snapshot.people.filter((p) => p.role === 'student');
    const staff = snapshot.people.filter((p) => p.role === 'staff');
    expect(students).toHaveLength(school.students.length);
    expect(staff).toHaveLength(school.staff.length);
    const first = school.students[0];
    const mapped = students.find((p) => p.smsId === first?.id);
    expect(mapped).toMatchObject({ givenName: first?.givenName, familyName: first?.familyName, email: first?.email });
    expect(mapped?.extra).toMatchObject({ nsn: first?.nationalId, yearLevel: String(first?.yearLevel) });
    expect(mapped?.extra?.uniqueid).toBeDefined();
    for (const s of school.students) expect(students.find((p) => p.smsId === s.id)?.active).toBe(s.active);
    const studentEnrolments = snapshot.enrolments.filter((e) => e.role === 'student');
    expect(studentEnrolments).toHaveLength(school.enrolments.length);
    expect(snapshot.enrolments.filter((e) => e.role === 'teacher')).toHaveLength(school.classes.length);
    // Courses are named from the subject list, form time and ad-hoc groups are not courses.
    const course = snapshot.courses.find((c) => c.smsId === school.courses[0]?.code);
    if (course) expect(course.name).toBe(school.courses[0]?.name);
    expect(snapshot.courses.some((c) => c.smsId === 'FT')).toBe(false);
    expect(result?.description).toMatchObject({ provider: 'KAMAR', capabilities: { push: true, pull: false } });
  });

  it('part push updates the changed people on the last full roll', async () => {
    const { url, collector } = await start();
    for (const chunk of kamarFullPush(school, { chunks: 2 })) await send(url, chunk);
    expect(await waitFor(() => collector.results.length === 1)).toBe(true);
    const changed = {
      ...school.students[1]!,
      familyName: 'Te Whāriki-O’Neill',
      email: 'renamed@students.school.example',
    };
    const reply = await send(url, kamarPartPush(school, [changed]));
    expect(answerOf(reply)).toMatchObject({ error: 0, result: 'OK' });
    expect(await waitFor(() => collector.results.length === 2)).toBe(true);
    const people = collector.results[1]?.snapshot.people ?? [];
    expect(people).toHaveLength(school.students.length + school.staff.length);
    expect(people.find((p) => p.smsId === changed.id)).toMatchObject({
      familyName: 'Te Whāriki-O’Neill',
      email: 'renamed@students.school.example',
    });
  });

  it('part push before any full roll is acknowledged but makes no snapshot', async () => {
    const { url, collector } = await start();
    expect(answerOf(await send(url, kamarPartPush(school, school.students.slice(0, 2))))).toMatchObject({ error: 0 });
    expect(await waitFor(() => collector.discards.length === 1)).toBe(true);
    expect(collector.results).toHaveLength(0);
  });

  it('part push applies onto a baseline snapshot given at start', async () => {
    const first = await start();
    for (const chunk of kamarFullPush(school)) await send(first.url, chunk);
    expect(await waitFor(() => first.collector.results.length === 1)).toBe(true);
    const baseline = first.collector.results[0]!.snapshot;
    await receiver?.close();
    const { url, collector } = await start({ baseline });
    await send(url, kamarPartPush(school, [{ ...school.students[0]!, givenName: 'Āwhina' }]));
    expect(await waitFor(() => collector.results.length === 1)).toBe(true);
    const snapshot = collector.results[0]!.snapshot;
    expect(snapshot.people).toHaveLength(baseline.people.length);
    expect(snapshot.enrolments).toHaveLength(baseline.enrolments.length);
    expect(snapshot.people.find((p) => p.smsId === school.students[0]!.id)?.givenName).toBe('Āwhina');
  });

  it.each(['attendance', 'pastoral', 'results'] as const)('unused type %s acknowledged, not stored', async (sync) => {
    const { url, collector } = await start();
    expect(answerOf(await send(url, kamarUnusedMessage(school, sync)))).toMatchObject({ error: 0, result: 'OK' });
    const unknown = { SMSDirectoryData: { sync: 'somethingnew', datetime: 20260615093000 } };
    expect(answerOf(await send(url, unknown))).toMatchObject({ error: 0, result: 'OK' });
    await sleep(SETTLE * 2);
    expect(collector.results).toHaveLength(0);
    expect(collector.discards).toHaveLength(0);
  });

  it.each([
    ['missing sync', { SMSDirectoryData: { datetime: 20260615093000 } }, 'SMSDirectoryData.sync'],
    ['sync not text', { SMSDirectoryData: { sync: 5 } }, 'SMSDirectoryData.sync'],
    ['no envelope', { sync: 'full' }, 'SMSDirectoryData'],
    ['students not an object', { SMSDirectoryData: { sync: 'full', students: [] } }, 'SMSDirectoryData.students'],
    [
      'data not an array',
      { SMSDirectoryData: { sync: 'full', students: { count: 1, data: 'x' } } },
      'SMSDirectoryData.students.data',
    ],
    [
      'id an object',
      { SMSDirectoryData: { sync: 'full', students: { data: [{ id: {}, lastname: 'A' }] } } },
      'SMSDirectoryData.students.data[0].id',
    ],
    [
      'groups not an array',
      { SMSDirectoryData: { sync: 'part', staff: { data: [{ id: 'AB', lastname: 'A', groups: 'x' }] } } },
      'SMSDirectoryData.staff.data[0].groups',
    ],
  ])('JSON with wrong types (%s) → 422 naming the field, no snapshot', async (_name, body, fieldPath) => {
    const { url, collector } = await start();
    const answer = answerOf(await send(url, body));
    expect(answer).toMatchObject({ error: 422, result: 'Request From KAMAR Was Malformed' });
    expect(String(answer.detail)).toContain(fieldPath);
    await sleep(SETTLE * 2);
    expect(collector.results).toHaveLength(0);
  });

  it('malformed JSON → 422; empty body → 401 No Data', async () => {
    const { url } = await start();
    const malformed = await post(url, KAMAR_MALFORMED_BODY, { authorization: AUTH });
    expect(malformed.status).toBe(200);
    expect(answerOf(malformed)).toMatchObject({ error: 422, result: 'Request From KAMAR Was Malformed' });
    expect(answerOf(await post(url, '', { authorization: AUTH }))).toMatchObject({ error: 401, result: 'No Data' });
    const xml = await post(url, '<SMSDirectoryData/>', { authorization: AUTH });
    expect(String(answerOf(xml).detail)).toContain('JSON');
  });

  it('a bad chunk in the middle of a push spoils the whole push', async () => {
    const { url, collector } = await start();
    const [one, two] = kamarFullPush(school, { chunks: 2 });
    await send(url, one);
    await post(url, KAMAR_MALFORMED_BODY, { authorization: AUTH });
    await send(url, two);
    expect(await waitFor(() => collector.discards.length === 1)).toBe(true);
    expect(collector.results).toHaveLength(0);
  });

  it('half-finished push (connection stops in the last chunk) never becomes a snapshot; a later complete one does', async () => {
    const { url, collector } = await start();
    const chunks = kamarFullPush(school, { chunks: 4 });
    for (const chunk of chunks.slice(0, 3)) expect(answerOf(await send(url, chunk)).error).toBe(0);
    await cutOff(url, JSON.stringify(chunks[3]));
    expect(await waitFor(() => collector.discards.length === 1)).toBe(true);
    expect(collector.discards[0]).toEqual({ sync: 'full', reason: 'a message was cut off' });
    await sleep(SETTLE);
    expect(collector.results).toHaveLength(0);
    for (const chunk of kamarFullPush(school, { chunks: 4, datetime: 20260616093000 })) await send(url, chunk);
    expect(await waitFor(() => collector.results.length === 1)).toBe(true);
    expect(collector.results[0]?.snapshot.people).toHaveLength(school.students.length + school.staff.length);
  });

  it('a push whose count is a sync total and is not reached is dropped', async () => {
    const { url, collector } = await start();
    const chunks = kamarFullPush(school, { chunks: 3 });
    for (const chunk of chunks.slice(0, 2)) {
      const students = chunk.SMSDirectoryData.students as { count: number };
      students.count = school.students.length;
      await send(url, chunk);
    }
    expect(await waitFor(() => collector.discards.length === 1)).toBe(true);
    expect(collector.discards[0]?.reason).toContain(`declared ${school.students.length} students`);
    expect(collector.results).toHaveLength(0);
  });

  it('unknown paths and non-POST methods are refused', async () => {
    const { url } = await start();
    expect((await post(url.replace('/kamar', '/other'), '{}', { authorization: AUTH })).status).toBe(404);
    expect(answerOf(await post(url, '', { authorization: AUTH, method: 'PUT' })).error).toBe(405);
  });
});

/** Sends the headers and half a body, then drops the connection (KAMAR stopping mid-chunk). */
function cutOff(url: string, body: string): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: { Authorization: AUTH, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    req.on('error', () => resolve());
    req.write(body.slice(0, Math.floor(body.length / 2)), () => {
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 30);
    });
  });
}
