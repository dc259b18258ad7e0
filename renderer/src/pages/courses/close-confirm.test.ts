import { describe, expect, it } from 'vitest';
import { describeClosing } from './close-confirm';

describe('describeClosing', () => {
  it('says results stop being read and the enrolments stay as they are in the LMS', () => {
    const { question, effects } = describeClosing([{ fullname: 'Year 10 Science', enrolments: 24 }]);
    expect(question).toBe('Close Year 10 Science?');
    expect(effects[0]).toBe('ClassBridge stops reading its results, so they no longer reach the SMS.');
    expect(effects[1]).toMatch(/^24 enrolments from the SMS stay as they are in the LMS: nobody is unenrolled/);
    expect(effects[2]).toBe('Open it again at any time to sync and read results again.');
  });

  it('counts every course’s enrolments when several are closed', () => {
    const { question, effects } = describeClosing([
      { fullname: 'Art', enrolments: 1 },
      { fullname: 'Maths', enrolments: undefined },
    ]);
    expect(question).toBe('Close 2 courses?');
    expect(effects[0]).toContain('their results');
    expect(effects[1]).toMatch(/^1 enrolment from the SMS stays as it is in the LMS/);
  });
});
