import { describe, expect, it } from 'vitest';
import { detectFamily } from './moodle-adapter';
import { percentageOf } from './records';

describe('grade percentage', () => {
  it('comes from the raw grade and range, since the report may hide its percentage column', () => {
    expect(percentageOf(62, 0, 100)).toBe(62);
    expect(percentageOf(11, 0, 20)).toBe(55);
    expect(percentageOf(7, 5, 10)).toBe(40);
  });
  it('falls back to the formatted percentage, and is null without a grade', () => {
    expect(percentageOf(null, null, null, '62,50 %')).toBe(62.5);
    expect(percentageOf(null, 0, 100)).toBeNull();
    expect(percentageOf(null, 0, 100, '-')).toBeNull();
  });
});

describe('LMS family', () => {
  it('is Totara when the release says so or Totara functions are listed', () => {
    expect(detectFamily('Totara 13.20 (Build: 20230315.00)', [])).toBe('totara');
    expect(detectFamily('3.3.9', ['totara_core_get_info'])).toBe('totara');
    expect(detectFamily('5.1+ (Build: 20251017)', ['core_webservice_get_site_info'])).toBe('moodle');
  });
});
