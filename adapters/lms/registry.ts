import type { LmsProvider, LmsProviderSetup } from '../../electron/core/model';
import type { LmsAdapterDescriptor } from '../descriptor';
import { moodleDescriptor } from './moodle/descriptor';

/**
 * Every LMS adapter, once (adding one: its folder with a descriptor.ts, and one line here). Each names
 * the LMS providers it serves; the engine's factory and the wizard (through `providers:list`) read it.
 */
const LMS_ADAPTERS: readonly LmsAdapterDescriptor[] = [moodleDescriptor];

export function lmsAdapterOf(provider: LmsProvider): LmsAdapterDescriptor {
  const descriptor = LMS_ADAPTERS.find((d) => d.providers.some((p) => p.id === provider));
  if (!descriptor) throw new Error(`No LMS adapter for "${provider}" (adapters/lms/registry.ts)`);
  return descriptor;
}

/** The LMS providers the wizard offers, in registry order. */
export function lmsProviderSetups(): LmsProviderSetup[] {
  return LMS_ADAPTERS.flatMap((d) => d.providers.map((p) => ({ id: p.id, label: p.label })));
}
