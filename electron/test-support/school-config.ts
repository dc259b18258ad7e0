/** A small school's configuration file (KAMAR + one Moodle), shared by CLI and end-to-end tests. */
export const SCHOOL_CONFIG = {
  format: 'classbridge-config',
  version: 1,
  settings: { timeZone: 'Pacific/Auckland' },
  connections: [
    { id: 'kamar', kind: 'sms', provider: 'kamar', name: 'KAMAR' },
    {
      id: 'moodle-main',
      kind: 'lms',
      provider: 'moodle',
      name: 'Moodle (main)',
      url: 'https://moodle.example.school.nz',
    },
  ],
};

/** A configuration file with one Moodle connection and the given mapping, as text (config tests). */
export function lmsConfigFile(mapping: Record<string, unknown>): string {
  return JSON.stringify({
    format: 'classbridge-config',
    version: 1,
    connections: [
      {
        id: 'moodle-main',
        kind: 'lms',
        provider: 'moodle',
        name: 'Moodle',
        url: 'https://moodle.example.org',
        mapping,
      },
    ],
  });
}
