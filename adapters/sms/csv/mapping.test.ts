import { describe, expect, it } from 'vitest';
import { COMBINED_CSV_MAPPING, SEPARATE_CSV_MAPPING } from '../../testing/sms-fixtures/csv';
import { CsvMappingSchema } from './mapping';

describe('CsvMappingSchema', () => {
  it('accepts both shapes and fills defaults', () => {
    const combined = CsvMappingSchema.parse(COMBINED_CSV_MAPPING);
    expect(combined.mode === 'combined' && combined.group?.scope).toBe('global');
    const separate = CsvMappingSchema.parse(SEPARATE_CSV_MAPPING);
    expect(separate.mode === 'separate' && separate.people.role).toEqual({
      column: 'Type',
      values: { student: ['Student', 'S'], staff: ['Teacher', 'Staff'] },
    });
  });

  it('fills the default inactive values of an active flag', () => {
    const parsed = CsvMappingSchema.parse({
      ...COMBINED_CSV_MAPPING,
      person: { ...COMBINED_CSV_MAPPING.person, active: { column: 'Status' } },
    });
    expect(parsed.mode === 'combined' && parsed.person.active?.inactive).toContain('left');
  });

  it('refuses a courses file without course columns, and blank headers', () => {
    expect(CsvMappingSchema.safeParse({ ...SEPARATE_CSV_MAPPING, courses: undefined }).success).toBe(false);
    const blank = { ...COMBINED_CSV_MAPPING, person: { ...COMBINED_CSV_MAPPING.person, smsId: '  ' } };
    expect(CsvMappingSchema.safeParse(blank).success).toBe(false);
  });
});
