/**
 * user_get_user_details() as the user functions return it. Empty optional profile fields are left out
 * (no city key until a city is set), as in ok_core_user_get_users_by_field and ok_core_enrol_get_enrolled_users.
 */
import type { SimUser } from '../state';
import { can, fullname, profileImageUrls, type CallContext } from './call-context';

const ifSet = (v: string): string | undefined => (v === '' ? undefined : v);

/** The profile part shared by get_users_by_field and get_enrolled_users, in return-description order. */
export function profileFields(
  ctx: CallContext,
  user: SimUser,
): { head: Record<string, unknown>; tail: Record<string, unknown> } {
  const seesEmail = can(ctx, 'moodle/course:useremail') || can(ctx, 'moodle/user:viewhiddendetails');
  return {
    head: {
      id: user.id,
      username: user.username,
      firstname: user.firstname,
      lastname: user.lastname,
      fullname: fullname(user),
      email: seesEmail ? user.email : undefined,
      address: ifSet(user.address),
      phone1: ifSet(user.phone1),
      phone2: ifSet(user.phone2),
      department: user.department,
      institution: ifSet(user.institution),
      idnumber: user.idnumber,
      interests: ifSet(user.interests),
      firstaccess: user.firstaccess,
      lastaccess: user.lastaccess,
    },
    tail: {
      description: ifSet(user.description),
      descriptionformat: user.description === '' ? undefined : 1,
      city: ifSet(user.city),
      country: ifSet(user.country),
      ...profileImageUrls(ctx),
    },
  };
}

/** get_users_by_field's user record; account fields (auth, suspended, …) need moodle/user:update. */
export function userRecord(ctx: CallContext, user: SimUser): Record<string, unknown> {
  const { head, tail } = profileFields(ctx, user);
  const admin = can(ctx, 'moodle/user:update');
  const account = admin
    ? {
        auth: user.auth,
        suspended: user.suspended,
        confirmed: user.confirmed,
        lang: user.lang,
        theme: user.theme,
        timezone: user.timezone,
        mailformat: user.mailformat,
        trackforums: 0,
      }
    : {};
  const { description, descriptionformat, city, country, ...images } = tail;
  return {
    ...head,
    ...account,
    description,
    descriptionformat,
    city,
    country,
    ...images,
    customfields: customFields(ctx, user),
  };
}

/**
 * user_get_user_details()'s customfields: the defined fields this user has a value in, in definition
 * order, as {type (the field's datatype, not its shortname), value, displayvalue, name, shortname};
 * left out when there are none. (The simulator treats every field as visible to the connector.)
 */
function customFields(ctx: CallContext, user: SimUser): Record<string, unknown>[] | undefined {
  const values = user.customfields ?? {};
  const out = (ctx.state.site.profileFields ?? [])
    .filter((f) => (values[f.shortname] ?? '') !== '')
    .map((f) => ({
      type: f.datatype,
      value: values[f.shortname],
      displayvalue: values[f.shortname],
      name: f.name,
      shortname: f.shortname,
    }));
  return out.length > 0 ? out : undefined;
}
