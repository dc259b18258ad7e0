import { describe, expect, it } from 'vitest';
import { MappingSchema } from './connection';
import { ParentsSchema, relationshipCounts } from './parents';

describe('mapping.parents', () => {
  it('is absent (off) by default, and off when enabled is left out', () => {
    expect(MappingSchema.parse({}).parents).toBeUndefined();
    expect(ParentsSchema.parse({})).toEqual({ enabled: false });
  });

  it('needs a roleId when enabled, with where to find it', () => {
    const result = MappingSchema.safeParse({ parents: { enabled: true } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['parents', 'roleId'] });
    expect(result.error?.issues[0]?.message).toContain('Define roles');
    expect(MappingSchema.parse({ parents: { enabled: true, roleId: 9 } }).parents).toEqual({
      enabled: true,
      roleId: 9,
    });
  });

  it('refuses a bad roleId, an empty relationship list or name, and unknown keys', () => {
    for (const parents of [
      { enabled: true, roleId: 0 },
      { enabled: true, roleId: 1.5 },
      { enabled: true, roleId: 9, relationships: [] },
      { enabled: true, roleId: 9, relationships: [' '] },
      { enabled: true, roleId: 9, roleShortname: 'parent' },
    ])
      expect(ParentsSchema.safeParse(parents).success).toBe(false);
  });

  it('counts every relationship without a list, and the listed ones without regard to case', () => {
    expect(relationshipCounts({}, undefined)).toBe(true);
    expect(relationshipCounts({ relationships: ['Parent', 'guardian'] }, 'parent')).toBe(true);
    expect(relationshipCounts({ relationships: ['Parent'] }, 'relative')).toBe(false);
    expect(relationshipCounts({ relationships: ['Parent'] }, undefined)).toBe(false);
  });
});
