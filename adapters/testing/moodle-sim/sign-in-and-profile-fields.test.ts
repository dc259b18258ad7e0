/**
 * create_users' `auth` and the customfields of create/update_users, as Moodle does them:
 * - `auth` must be an installed auth plugin (core_component's list), minus mnet and webservice
 *   (reference §3.2: "Invalid authentication type"); production shows only "Invalid parameter value
 *   detected" (§9), debug mode the reason;
 * - customfields[j]{type=<shortname>, value} are saved for the site's defined fields only; an unknown
 *   shortname is dropped silently (the reference is silent here: this follows Moodle's code path,
 *   profile_save_data() saving the defined fields), and get_users_by_field returns the values as
 *   {type: datatype, value, displayvalue, name, shortname}.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { startMoodleSim, type MoodleSim } from './index';
import { callSim } from './test-support';

let sim: MoodleSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const person = (username: string, extra: Record<string, unknown> = {}) => ({
  username,
  firstname: 'Sam',
  lastname: 'Sign',
  email: `${username}@example.invalid`,
  ...extra,
});

describe('auth on create_users', () => {
  test('an auth plugin the site has not installed is refused; installing it makes the same call succeed', async () => {
    sim = await startMoodleSim();
    const before = sim.state.users.size;
    // saml2 is an add-on (auth_saml2), not in a standard install.
    const answer = await callSim(sim, 'core_user_create_users', { users: [person('sso1', { auth: 'saml2' })] });
    expect(answer).toMatchObject({ errorcode: 'invalidparameter', message: 'Invalid parameter value detected' });
    expect(sim.state.users.size).toBe(before);

    sim.state.site.authPlugins = ['manual', 'email', 'nologin', 'saml2'];
    expect(await callSim(sim, 'core_user_create_users', { users: [person('sso1', { auth: 'saml2' })] })).toEqual([
      { id: expect.any(Number), username: 'sso1' },
    ]);
    const user = [...sim.state.users.values()].find((u) => u.username === 'sso1')!;
    // An external auth keeps no password.
    expect(user).toMatchObject({ auth: 'saml2', password: 'not cached' });
  });

  test('mnet and webservice are refused although installed; debug mode names the reason', async () => {
    sim = await startMoodleSim({ debug: true });
    for (const auth of ['mnet', 'webservice', 'nosuchplugin']) {
      const answer = await callSim(sim, 'core_user_create_users', {
        users: [person(`u${auth}`, { auth, createpassword: 1 })],
      });
      expect(answer).toMatchObject({ errorcode: 'invalidparameter' });
      expect(JSON.stringify(answer)).toContain(`Invalid authentication type: ${auth}`);
    }
  });

  test('oauth2 and ldap (core plugins) need no password; manual needs one or createpassword', async () => {
    sim = await startMoodleSim();
    expect(
      await callSim(sim, 'core_user_create_users', {
        users: [
          person('oa1', { auth: 'oauth2' }),
          person('ld1', { auth: 'ldap' }),
          person('mp1', { createpassword: 1 }),
        ],
      }),
    ).toHaveLength(3);
    expect(await callSim(sim, 'core_user_create_users', { users: [person('mp2')] })).toMatchObject({
      errorcode: 'invalidparameter',
    });
  });
});

describe('custom profile fields', () => {
  test('stored for defined shortnames on create and update, returned by get_users_by_field; unknown ones dropped', async () => {
    sim = await startMoodleSim();
    sim.state.site.profileFields = [
      { shortname: 'house', name: 'House', datatype: 'text' },
      { shortname: 'yearlevel', name: 'Year level', datatype: 'menu' },
    ];
    const created = await callSim(sim, 'core_user_create_users', {
      users: [
        person('cf1', {
          createpassword: 1,
          institution: 'Kauri School',
          customfields: [
            { type: 'house', value: 'Rata' },
            { type: 'nosuchfield', value: 'x' },
          ],
        }),
      ],
    });
    expect(created).toEqual([{ id: expect.any(Number), username: 'cf1' }]);
    const id = (created as { id: number }[])[0]!.id;
    const read = async () =>
      (
        (await callSim(sim!, 'core_user_get_users_by_field', { field: 'id', values: [String(id)] })) as Record<
          string,
          unknown
        >[]
      )[0]!;
    expect((await read()).institution).toBe('Kauri School');
    expect((await read()).customfields).toEqual([
      { type: 'text', value: 'Rata', displayvalue: 'Rata', name: 'House', shortname: 'house' },
    ]);

    const updated = await callSim(sim, 'core_user_update_users', {
      users: [
        {
          id,
          customfields: [
            { type: 'house', value: 'Kowhai' },
            { type: 'yearlevel', value: '10' },
          ],
        },
      ],
    });
    // Unknown or not, a shortname never gives a warning.
    expect(updated).toEqual({ warnings: [] });
    expect((await read()).customfields).toEqual([
      { type: 'text', value: 'Kowhai', displayvalue: 'Kowhai', name: 'House', shortname: 'house' },
      { type: 'menu', value: '10', displayvalue: '10', name: 'Year level', shortname: 'yearlevel' },
    ]);
  });

  test('a fresh site has no profile fields: customfields are accepted and nothing is kept', async () => {
    sim = await startMoodleSim();
    const created = await callSim(sim, 'core_user_create_users', {
      users: [person('cf2', { createpassword: 1, customfields: [{ type: 'house', value: 'Rata' }] })],
    });
    expect(created).toEqual([{ id: expect.any(Number), username: 'cf2' }]);
    const [user] = (await callSim(sim, 'core_user_get_users_by_field', {
      field: 'username',
      values: ['cf2'],
    })) as Record<string, unknown>[];
    expect(user).not.toHaveProperty('customfields');
  });
});
