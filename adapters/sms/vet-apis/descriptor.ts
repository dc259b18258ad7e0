import { z } from 'zod';
import { SmsImportError } from '../../contract';
import type { SmsAdapterDescriptor } from '../../descriptor';
import { COMMON_SMS_OPTIONS } from '../options';
import { VET_API_CAPABILITIES } from './capabilities';

const VetApiOptionsSchema = z.strictObject({ ...COMMON_SMS_OPTIONS });

/**
 * The VET pull APIs (README.md beside this file), not built yet: described so the wizard lists
 * "<provider> API" as not available yet rather than leaving the admin to wonder. A real client (a
 * VETtrak SOAP client, say) is its own folder with its own descriptor naming `providers: ['vettrak']`,
 * listed before this one in adapters/sms/registry.ts.
 */
export const vetApisDescriptor: SmsAdapterDescriptor<z.infer<typeof VetApiOptionsSchema>> = {
  id: 'vet-api',
  displayName: 'VET system API',
  shortName: 'VET API',
  routes: ['api'],
  providers: Object.keys(VET_API_CAPABILITIES) as (keyof typeof VET_API_CAPABILITIES)[],
  built: false,
  optionsSchema: VetApiOptionsSchema,
  create() {
    throw new SmsImportError('missing', 'ClassBridge cannot call this VET system API yet; use its AVETMISS export.');
  },
  wizard: (provider) => ({
    routes: [
      {
        mode: 'api',
        label: `${provider.label} API`,
        available: false,
        unavailableReason: `ClassBridge cannot call the ${provider.label} API yet; use the AVETMISS export folder meanwhile.`,
      },
    ],
    hasUsernames: false,
    asksOutcomeRule: false,
    results: { where: '', overwrites: null },
    setupSteps: [],
  }),
};
