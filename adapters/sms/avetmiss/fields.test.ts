import { describe, expect, it } from 'vitest';
import { SmsImportError } from '../../contract';
import { isoFromDdmmyyyy, readRecord } from './fields';
import { NAT00060, NAT00080, NAT00120 } from './layouts';
import { formatRecord, padAlpha, padNumeric, replaceField, toAscii } from './writer';
import { fieldOf } from './layouts';

const ctx = { file: 'NAT00120.txt', line: 3 };

/**
 * A NAT00120 record built by hand from the reference's column table (C.2), independently of
 * layouts.ts: each piece is placed at its documented 1-based column.
 */
function handBuiltActivity(): string {
  const at: [number, string][] = [
    [1, '90001     '],
    [11, 'MAIN      '],
    [21, '100001    '],
    [31, 'BSBWHS311   '],
    [43, 'BSB30120  '],
    [53, '02022026'],
    [61, '27112026'],
    [69, 'YNN'],
    [72, '70'],
    [74, '20'],
    [76, '3'],
    [97, '01'],
    [99, 'N'],
    [118, '00450'],
    [140, '0012'],
    [154, '0040'],
    [158, 'I'],
  ];
  let line = ' '.repeat(158);
  for (const [column, text] of at) line = line.slice(0, column - 1) + text + line.slice(column - 1 + text.length);
  return line;
}

describe('fixed-width fields (C.1, C.2)', () => {
  it('reads a NAT00120 record at the reference positions, dates as ISO', () => {
    const { values, extraLength } = readRecord(NAT00120, handBuiltActivity(), ctx);
    expect(values).toMatchObject({
      toid: '90001',
      locationId: 'MAIN',
      clientId: '100001',
      subjectId: 'BSBWHS311',
      programId: 'BSB30120',
      startDate: '2026-02-02',
      endDate: '2026-11-27',
      deliveryMode: 'YNN',
      outcome: '70',
      fundingSource: '20',
      commencing: '3',
      tuitionFee: '00450',
      scheduledHours: '0040',
      predominantMode: 'I',
    });
    expect(extraLength).toBe(0);
  });

  it('formats the same record the writer way (A right-padded, N zero-filled, D as DDMMYYYY)', () => {
    const values = readRecord(NAT00120, handBuiltActivity(), ctx).values;
    expect(formatRecord(NAT00120, values)).toBe(handBuiltActivity());
  });

  it('tolerates short lines: missing trailing optional fields are blank, an A field may lose trailing spaces', () => {
    const short = handBuiltActivity().slice(0, 73);
    expect(readRecord(NAT00120, short, ctx).values).toMatchObject({
      outcome: '70',
      fundingSource: '',
      predominantMode: '',
    });
    const client = '100001    Ngata, Mere';
    expect(readRecord(NAT00080, client, ctx).values).toMatchObject({
      clientId: '100001',
      name: 'Ngata, Mere',
      usi: '',
    });
  });

  it('counts trailing extra data beyond the national record length', () => {
    expect(readRecord(NAT00120, `${handBuiltActivity()}Y  STATE-EXTRA`, ctx).extraLength).toBe(14);
  });

  it('refuses a record shorter than its mandatory fields, naming the line and field', () => {
    const error = catchError(() => readRecord(NAT00120, handBuiltActivity().slice(0, 60), ctx));
    expect(error.kind).toBe('format');
    expect(error.where).toMatchObject({ file: 'NAT00120.txt', line: 3, field: 'Activity end date', column: 61 });
    expect(error.describe()).toContain('NAT00120.txt, line 3, column 61, field Activity end date');
  });

  it('refuses a record that ends inside a numeric field', () => {
    const error = catchError(() => readRecord(NAT00120, handBuiltActivity().slice(0, 120), ctx));
    expect(error.where).toMatchObject({ field: 'Client tuition fee', column: 118 });
  });

  it('refuses letters in a numeric field', () => {
    const line = handBuiltActivity();
    const error = catchError(() => readRecord(NAT00120, line.slice(0, 117) + '0A450' + line.slice(122), ctx));
    expect(error.kind).toBe('format');
    expect(error.where).toMatchObject({
      field: 'Client tuition fee',
      found: '0A450',
      expected: '5 digits, zero-filled',
    });
  });

  it('refuses a date that does not exist (31 February)', () => {
    const line = handBuiltActivity();
    const error = catchError(() => readRecord(NAT00120, line.slice(0, 52) + '31022001' + line.slice(60), ctx));
    expect(error.kind).toBe('format');
    expect(error.where).toMatchObject({ field: 'Activity start date', column: 53, found: '31022001' });
  });

  it('refuses a blank mandatory field as missing', () => {
    const line = handBuiltActivity();
    const error = catchError(() => readRecord(NAT00120, line.slice(0, 20) + ' '.repeat(10) + line.slice(30), ctx));
    expect(error.kind).toBe('missing');
    expect(error.where.field).toBe('Client identifier');
  });

  it('reads a not-stated date of birth (@@@@@@@@) as blank', () => {
    const client = `${'100001'.padEnd(10)}${'Ngata, Mere'.padEnd(60)}12F@@@@@@@@3000`;
    expect(readRecord(NAT00080, client, ctx).values.birthDate).toBe('');
  });

  it('validates calendar dates', () => {
    expect(isoFromDdmmyyyy('29022024')).toBe('2024-02-29');
    expect(isoFromDdmmyyyy('29022025')).toBeUndefined();
    expect(isoFromDdmmyyyy('00012025')).toBeUndefined();
    expect(isoFromDdmmyyyy('0101202')).toBeUndefined();
  });
});

describe('fixed-width writer (F.3)', () => {
  it('pads A right with spaces, N left with zeros, and truncates A', () => {
    expect(padAlpha('BSB', 6)).toBe('BSB   ');
    expect(padAlpha('ABCDEFGH', 4)).toBe('ABCD');
    expect(padNumeric(40, 4)).toBe('0040');
    expect(() => padNumeric('12345', 4)).toThrow(RangeError);
  });

  it('writes ASCII only: macrons lose their marks, other symbols become ?', () => {
    expect(toAscii('Tūhoe Mātāmua’s café')).toBe("Tuhoe Matamua's cafe");
    expect(toAscii('漢字')).toBe('??');
    const record = formatRecord(NAT00060, { subjectId: 'MAO101', name: 'Te Reo Māori' });
    expect(record).toMatch(/^[\x20-\x7e]+$/);
    expect(record.slice(12, 24)).toBe('Te Reo Maori');
  });

  it('replaces one field and keeps every other character', () => {
    const line = `${handBuiltActivity()}EXTRA`;
    const updated = replaceField(line, fieldOf(NAT00120, 'outcome'), '20');
    expect(updated.slice(71, 73)).toBe('20');
    expect(updated.slice(0, 71) + updated.slice(73)).toBe(line.slice(0, 71) + line.slice(73));
  });
});

function catchError(run: () => unknown): SmsImportError {
  try {
    run();
  } catch (error) {
    if (error instanceof SmsImportError) return error;
    throw error;
  }
  throw new Error('expected an SmsImportError');
}
