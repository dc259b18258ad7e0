import { describe, expect, it } from 'vitest';
import { SMS_PROVIDER_INFO, SMS_PROVIDERS, SmsConnectionSchema, type SmsProvider } from '../../electron/core/model';
import {
  detectSmsFormat,
  smsAdapterDescriptor,
  smsConnectionProblem,
  smsProviderSetups,
  SMS_FORMATS,
} from './registry';

const setup = (id: SmsProvider) => smsProviderSetups().find((p) => p.id === id)!;
const sms = (provider: SmsProvider, options: Record<string, string | number | boolean>) =>
  SmsConnectionSchema.parse({ id: 'sms', kind: 'sms', provider, name: provider, options });

describe('the SMS registry (adapter descriptors, provider rows pointing at them)', () => {
  it('finds an adapter for every provider row, and describes every provider once', () => {
    for (const provider of SMS_PROVIDERS) {
      expect(smsAdapterDescriptor(SMS_PROVIDER_INFO[provider].adapter).built).toBe(true);
    }
    expect(smsProviderSetups().map((p) => p.id)).toEqual([...SMS_PROVIDERS]);
    expect(SMS_FORMATS).toEqual(['kamar', 'oneroster', 'avetmiss', 'csv']);
  });

  it('offers the VET API route as not available yet, after the export that works today', () => {
    const vettrak = setup('vettrak');
    expect(vettrak.routes.map((r) => [r.mode, r.available])).toEqual([
      ['file', true],
      ['api', false],
    ]);
    expect(vettrak.routes[1]!.label).toBe('VETtrak API');
    expect(vettrak.defaultMode).toBe('file');
    expect(vettrak.hasUsernames).toBe(false);
    expect(vettrak.asksOutcomeRule).toBe(true);
    expect(vettrak.setupSteps[0]).toContain('In VETtrak, run the AVETMISS 8.0 (NAT) export');
    expect(setup('powerpro').routes.map((r) => r.mode)).toEqual(['file']);
  });

  it('says plainly when a provider has no direct link: uploads, no API, results by hand', () => {
    const assembly = setup('assembly');
    expect(assembly.routes.map((r) => [r.mode, r.available])).toEqual([
      ['push', true],
      ['api', false],
    ]);
    expect(assembly.defaultMode).toBe('push');
    expect(assembly.results.where).toContain('import into Assembly by hand');
    expect(assembly.results.overwrites).toBeNull();
    expect(assembly.setupSteps[0]).toContain('Assembly has no public interface');
  });

  it('says which SMS take results back, so the wizard offers to send them only there (issue 18)', () => {
    expect(setup('kamar').takesResults).toBe(false); // Directory Services only sends
    expect(setup('assembly').takesResults).toBe(false); // no direct link
    expect(setup('vettrak').takesResults).toBe(true);
    expect(setup('oneroster').takesResults).toBe(true);
  });

  it('gives each file route its source field', () => {
    expect(setup('oneroster').routes[0]!.source).toMatchObject({ kind: 'folder-or-file' });
    expect(setup('csv').routes[0]!.source).toMatchObject({ kind: 'file', label: 'CSV file' });
    expect(setup('kamar').routes).toEqual([
      { mode: 'push', label: 'KAMAR sends to ClassBridge (Directory Services)', available: true },
    ]);
  });

  it('recognises exports in registry order', () => {
    expect(detectSmsFormat({ kind: 'file', names: ['push.json'] })?.id).toBe('kamar');
    expect(detectSmsFormat({ kind: 'folder', names: ['manifest.csv', 'users.csv'] })?.id).toBe('oneroster');
    expect(detectSmsFormat({ kind: 'zip', names: ['nat00120.txt', 'readme.txt'] })?.id).toBe('avetmiss');
    expect(detectSmsFormat({ kind: 'folder', names: ['students.csv'] })?.id).toBe('csv');
    expect(detectSmsFormat({ kind: 'folder', names: ['push.json'] })).toBeUndefined();
  });

  it("checks a connection's options with its adapter's schema, naming the field", () => {
    expect(smsConnectionProblem(sms('oneroster', { courseFrom: 'course', resultsFolder: '/r' }))).toBeUndefined();
    expect(smsConnectionProblem(sms('vettrak', { courseFrom: 'course' }))).toMatchObject({
      field: 'options.courseFrom',
    });
    const unknown = smsConnectionProblem(sms('kamar', { courseFrom: 'class' }));
    expect(unknown?.field).toBe('options');
    expect(unknown?.message).toBe('KAMAR connections have no option "courseFrom" (KAMAR Directory Services push).');
    expect(smsConnectionProblem(sms('kamar', { includeFormClasses: 'yes' }))?.field).toBe('options.includeFormClasses');
  });
});
