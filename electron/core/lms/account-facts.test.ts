/** What existing accounts show about sign-in methods and custom profile fields, read from the simulator. */
import { afterEach, describe, expect, it } from 'vitest';
import { freshSiteSeed, startMoodleSim, type MoodleSim } from '../../../adapters/testing/moodle-sim';
import { createMoodleAdapter } from '../../../adapters/lms/moodle';
import { readAccountFacts } from './account-facts';

let sim: MoodleSim;
afterEach(() => sim.close());

describe('readAccountFacts', () => {
  it('lists the auth methods and the custom profile fields existing accounts use', async () => {
    sim = await startMoodleSim();
    sim.state.site.profileFields = [
      { shortname: 'house', name: 'House', datatype: 'text' },
      { shortname: 'unused', name: 'Never filled', datatype: 'text' },
    ];
    await createMoodleAdapter({ url: sim.url, token: sim.token }).createUsers([
      {
        username: 'sso1',
        firstname: 'S',
        lastname: 'O',
        email: 'sso1@example.invalid',
        idnumber: '',
        auth: 'oauth2',
        profileFields: { profile_field_house: 'Rata' },
      },
    ]);
    const facts = await readAccountFacts({ provider: 'moodle', url: sim.url }, sim.token);
    expect(facts.sampled).toBeGreaterThan(1);
    expect(facts.auths[0]?.auth).toBe('manual');
    expect(facts.auths).toContainEqual({ auth: 'oauth2', accounts: 1 });
    // A field no account has a value in cannot be seen: Moodle lists no definitions over web services.
    expect(facts.customFields).toEqual([{ shortname: 'house', name: 'House' }]);
  });

  it('a fresh site with a token lacking moodle/user:update shows no auth methods and no fields, without failing', async () => {
    sim = await startMoodleSim({
      seed: freshSiteSeed({ capabilities: ['webservice/rest:use', 'moodle/user:viewdetails', 'moodle/user:create'] }),
    });
    const facts = await readAccountFacts({ provider: 'moodle', url: sim.url }, sim.token);
    expect(facts).toMatchObject({ auths: [], customFields: [] });
    expect(facts.problem).toBeUndefined();
  });

  it("lists the site's course categories by name, with their parents, for the rules that choose one", async () => {
    sim = await startMoodleSim();
    // Humanities under School of Science (sim seed: 1 Category 1, 2 School of Science, 3 Humanities).
    sim.state.categories.get(3)!.parent = 2;
    const facts = await readAccountFacts({ provider: 'moodle', url: sim.url }, sim.token);
    expect(facts.categories).toEqual([
      { id: 1, name: 'Category 1' },
      { id: 2, name: 'School of Science' },
      { id: 3, name: 'School of Science / Humanities' },
    ]);
  });

  it('a service without core_course_get_categories still reads the accounts, with no category list', async () => {
    sim = await startMoodleSim();
    for (const service of sim.state.services.values())
      service.functions = service.functions.filter((f) => f !== 'core_course_get_categories');
    const facts = await readAccountFacts({ provider: 'moodle', url: sim.url }, sim.token);
    expect(facts.sampled).toBeGreaterThan(1);
    expect(facts.categories).toBeUndefined();
    expect(facts.problem).toBeUndefined();
  });

  it('an unreachable site is a problem to show, not an exception', async () => {
    sim = await startMoodleSim();
    const facts = await readAccountFacts({ provider: 'moodle', url: sim.url }, 'not-a-token');
    expect(facts.sampled).toBe(0);
    expect(facts.problem).toBeTruthy();
  });
});
