import { describe, expect, it } from 'vitest';
import { matchesSearch, orderTimeZones, timeZoneLabel } from './time-zones';

const ALL = ['America/New_York', 'Australia/Melbourne', 'Australia/Sydney', 'Europe/London', 'Pacific/Auckland', 'UTC'];

describe('orderTimeZones', () => {
  it('puts the chosen zone, the computer’s and the SMS’s country first, the rest after', () => {
    const { likely, rest } = orderTimeZones(ALL, {
      current: 'Europe/London',
      computer: 'UTC',
      provider: 'vettrak',
    });
    expect(likely).toEqual(['Europe/London', 'UTC', 'Australia/Sydney', 'Australia/Melbourne', 'Pacific/Auckland']);
    expect(rest).toEqual(['America/New_York']);
  });

  it('offers New Zealand first for KAMAR, and keeps a saved zone the runtime lacks', () => {
    const { likely } = orderTimeZones(ALL, { current: 'Pacific/Chatham', computer: undefined, provider: 'kamar' });
    expect(likely.slice(0, 2)).toEqual(['Pacific/Chatham', 'Pacific/Auckland']);
  });
});

describe('time zone words', () => {
  it('names the city first and finds it by any word', () => {
    expect(timeZoneLabel('America/New_York')).toBe('New York (America/New_York)');
    expect(timeZoneLabel('UTC')).toBe('UTC');
    expect(matchesSearch('America/New_York', 'new york')).toBe(true);
    expect(matchesSearch('Pacific/Auckland', 'melb')).toBe(false);
  });
});
