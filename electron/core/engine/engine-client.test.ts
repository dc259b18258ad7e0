import { describe, expect, it } from 'vitest';
import { engineResourceLimits } from './engine-client';

describe('the engine worker’s memory limits', () => {
  it('keeps the young generation small and the old generation capped at 1 GB unless the admin says otherwise', () => {
    expect(engineResourceLimits({})).toEqual({ maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: 16 });
    expect(engineResourceLimits({ CLASSBRIDGE_ENGINE_HEAP_MB: '4096' }).maxOldGenerationSizeMb).toBe(4096);
    // Nonsense or a cap too small to run at all falls back to the default rather than crashing later.
    expect(engineResourceLimits({ CLASSBRIDGE_ENGINE_HEAP_MB: 'lots' }).maxOldGenerationSizeMb).toBe(1024);
    expect(engineResourceLimits({ CLASSBRIDGE_ENGINE_HEAP_MB: '64' }).maxOldGenerationSizeMb).toBe(1024);
  });
});
