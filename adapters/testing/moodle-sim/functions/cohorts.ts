/**
 * Cohort functions, as Moodle 5.x's cohort/externallib.php (core_cohort_external) does them:
 * core_cohort_create_cohorts, core_cohort_get_cohorts, core_cohort_add_cohort_members,
 * core_cohort_delete_cohort_members and core_cohort_get_cohort_members.
 *
 * Every write runs in a delegated transaction (all-or-nothing). add_cohort_members is the odd one: an
 * unknown cohort or user, a bad cohorttype/usertype, or a membership that already exists is a per-item
 * *warning* (warningcode 1, 2 or 3) and the rest of the call goes in; only a missing capability throws
 * (and then rolls back the whole call). delete_cohort_members throws dml_missing_record_exception for an
 * unknown cohort or user (MUST_EXIST) and removes a non-member silently (cohort_remove_member is a
 * delete_records). Capabilities: moodle/cohort:manage to create; manage or moodle/cohort:assign to add and
 * remove members; manage or moodle/cohort:view to read. The simulator grants capabilities at system
 * level only, so a category cohort's context check is the system one.
 */
import { invalidParameter, missingRecord, noPermissions } from '../errors';
import { multiple, optional, single, value, withDefault } from '../param-validation';
import { capabilityName } from '../capabilities';
import { takeId, type SimCohort } from '../state';
import {
  asInt,
  asList,
  asRecord,
  asString,
  can,
  records,
  type CallContext,
  type FunctionDefinition,
} from './call-context';

const MANAGE = 'moodle/cohort:manage';
const ASSIGN = 'moodle/cohort:assign';
const VIEW = 'moodle/cohort:view';

/** has_any_capability([...], $context) or required_capability_exception naming `named`. */
function requireAny(ctx: CallContext, capabilities: readonly string[], named: string): void {
  if (!capabilities.some((c) => can(ctx, c))) throw noPermissions(capabilityName(named));
}

/**
 * The cohort record the functions return, in their returns' key order. With allowcohortthemes off (the
 * default, which the simulator keeps) cohort_add_cohort stores theme '' and every answer carries it so.
 */
const cohortRecord = (c: SimCohort): Record<string, unknown> => ({
  id: c.id,
  name: c.name,
  idnumber: c.idnumber,
  description: c.description,
  descriptionformat: c.descriptionformat,
  visible: c.visible,
  theme: '',
  customfields: [],
});

const customFields = optional(multiple(single({ shortname: value('alphanumext'), value: value('raw') })));

export const createCohorts: FunctionDefinition = {
  name: 'core_cohort_create_cohorts',
  params: single({
    cohorts: multiple(
      single({
        categorytype: single({ type: value('text'), value: value('raw') }),
        name: value('raw'),
        idnumber: value('raw'),
        description: optional(value('raw')),
        descriptionformat: withDefault(value('int'), 1),
        visible: optional(value('bool')),
        theme: optional(value('theme')),
        customfields: customFields,
      }),
    ),
  }),
  mainArray: 'cohorts',
  transaction: 'all-or-nothing',
  run(params, ctx) {
    const state = ctx.state;
    const created: Record<string, unknown>[] = [];
    for (const input of records(params.cohorts)) {
      const categorytype = asRecord(input.categorytype);
      const type = asString(categorytype.type);
      const typeValue = asString(categorytype.value);
      if (!['idnumber', 'id', 'system'].includes(type))
        throw invalidParameter(`category type must be id, idnumber or system:${type}`);
      let categoryid: number | null = null;
      if (type !== 'system') {
        const category = [...state.categories.values()].find((c) =>
          type === 'id' ? String(c.id) === typeValue : (c.idnumber ?? '') === typeValue && typeValue !== '',
        );
        if (!category) throw invalidParameter(`category not exists: category ${type} = ${typeValue}`);
        categoryid = category.id;
      }
      // Checked before the capability, so a duplicate is reported to a caller who could not create it anyway.
      const idnumber = asString(input.idnumber);
      if ([...state.cohorts.values()].some((c) => c.idnumber === idnumber))
        throw invalidParameter(`record already exists: idnumber=${idnumber}`);
      if (!can(ctx, MANAGE)) throw noPermissions(capabilityName(MANAGE));
      const cohort: SimCohort = {
        id: takeId(state, 'cohort'),
        categoryid,
        name: asString(input.name),
        idnumber,
        // cohort_add_cohort: description defaults to '', visible to 1.
        description: input.description === undefined ? '' : asString(input.description),
        descriptionformat: asInt(input.descriptionformat),
        visible: input.visible === undefined ? true : input.visible === true,
        members: [],
      };
      state.cohorts.set(cohort.id, cohort);
      const { customfields: _none, ...returned } = cohortRecord(cohort);
      created.push(returned);
    }
    return created;
  },
};

export const getCohorts: FunctionDefinition = {
  name: 'core_cohort_get_cohorts',
  params: single({ cohortids: withDefault(multiple(value('int')), []) }),
  transaction: 'read',
  run(params, ctx) {
    const ids = asList(params.cohortids).map((v) => asInt(v));
    // No ids: every cohort of the site. Unknown ids are left out (get_records_list), not an error.
    const cohorts =
      ids.length === 0
        ? [...ctx.state.cohorts.values()].sort((a, b) => a.id - b.id)
        : [...new Set(ids)].flatMap((id) => {
            const c = ctx.state.cohorts.get(id);
            return c ? [c] : [];
          });
    if (cohorts.length > 0) requireAny(ctx, [MANAGE, VIEW], VIEW);
    return cohorts.map(cohortRecord);
  },
};

export const addCohortMembers: FunctionDefinition = {
  name: 'core_cohort_add_cohort_members',
  params: single({
    members: multiple(
      single({
        cohorttype: single({ type: value('alphanumext'), value: value('raw') }),
        usertype: single({ type: value('alphanumext'), value: value('raw') }),
      }),
    ),
  }),
  mainArray: 'members',
  transaction: 'all-or-nothing',
  run(params, ctx) {
    const state = ctx.state;
    const warnings: { warningcode: string; message: string }[] = [];
    const warn = (warningcode: string, message: string) => warnings.push({ warningcode, message });
    // One copy of each cohort touched per call (copy-on-write, see inTransaction), with a set of its
    // members, so a call costs what it adds rather than the cohort's size per member.
    const working = new Map<number, { cohort: SimCohort; members: Set<number> }>();
    const copyOf = (c: SimCohort) => {
      let w = working.get(c.id);
      if (!w) working.set(c.id, (w = { cohort: { ...c, members: [...c.members] }, members: new Set(c.members) }));
      return w;
    };
    const byIdnumber = new Map([...state.cohorts.values()].map((c) => [c.idnumber, c]));
    for (const m of records(params.members)) {
      const cohorttype = asRecord(m.cohorttype);
      const usertype = asRecord(m.usertype);
      const ct = asString(cohorttype.type);
      const cv = asString(cohorttype.value);
      const ut = asString(usertype.type);
      const uv = asString(usertype.value);
      if (ct !== 'id' && ct !== 'idnumber') {
        warn('1', `invalid parameter: cohortype=${ct}`);
        continue;
      }
      if (ut !== 'id' && ut !== 'username') {
        warn('1', `invalid parameter: usertype=${ut}`);
        continue;
      }
      const cohort = ct === 'id' ? (/^\d+$/.test(cv) ? state.cohorts.get(Number(cv)) : undefined) : byIdnumber.get(cv);
      if (!cohort) {
        warn('2', `cohort ${ct}=${cv} not exists`);
        continue;
      }
      const byId = ut === 'id' && /^\d+$/.test(uv) ? state.users.get(Number(uv)) : undefined;
      const found = ut === 'id' ? byId : [...state.users.values()].find((u) => u.username === uv);
      const user = found && !found.deleted ? found : undefined;
      if (!user) {
        warn('2', `user ${ut}=${uv} not exists`);
        continue;
      }
      const w = copyOf(cohort);
      if (w.members.has(user.id)) {
        warn('3', `record already exists: cohort(${ct}=${cv} ${ut}=${uv})`);
        continue;
      }
      // After the look-ups (outside Moodle's try): a missing capability throws and rolls the call back.
      requireAny(ctx, [MANAGE, ASSIGN], ASSIGN);
      w.members.add(user.id);
      w.cohort.members.push(user.id);
    }
    for (const [id, w] of working) state.cohorts.set(id, w.cohort);
    return { warnings };
  },
};

export const deleteCohortMembers: FunctionDefinition = {
  name: 'core_cohort_delete_cohort_members',
  params: single({ members: multiple(single({ cohortid: value('int'), userid: value('int') })) }),
  mainArray: 'members',
  transaction: 'all-or-nothing',
  run(params, ctx) {
    const state = ctx.state;
    for (const m of records(params.members)) {
      const cohortid = asInt(m.cohortid);
      const userid = asInt(m.userid);
      const cohort = state.cohorts.get(cohortid);
      if (!cohort) throw missingRecord('cohort', 'SELECT * FROM {cohort} WHERE id = ?', [cohortid]);
      const user = state.users.get(userid);
      if (!user || user.deleted)
        throw missingRecord('user', 'SELECT * FROM {user} WHERE id = ? AND deleted = ? AND mnethostid = ?', [
          userid,
          0,
          1,
        ]);
      requireAny(ctx, [MANAGE, ASSIGN], ASSIGN);
      if (cohort.members.includes(userid))
        state.cohorts.set(cohortid, { ...cohort, members: cohort.members.filter((u) => u !== userid) });
    }
    return null;
  },
};

export const getCohortMembers: FunctionDefinition = {
  name: 'core_cohort_get_cohort_members',
  params: single({ cohortids: multiple(value('int')) }),
  transaction: 'read',
  run(params, ctx) {
    return asList(params.cohortids).map((v) => {
      const cohortid = asInt(v);
      const cohort = ctx.state.cohorts.get(cohortid);
      if (!cohort) throw missingRecord('cohort', 'SELECT * FROM {cohort} WHERE id = ?', [cohortid]);
      requireAny(ctx, [MANAGE, VIEW], VIEW);
      // ORDER BY lastname ASC, firstname ASC
      const userids = cohort.members
        .map((id) => ctx.state.users.get(id))
        .filter((u) => u !== undefined)
        .sort((a, b) => a.lastname.localeCompare(b.lastname) || a.firstname.localeCompare(b.firstname))
        .map((u) => u.id);
      return { cohortid, userids };
    });
  },
};

export const COHORT_FUNCTIONS: readonly FunctionDefinition[] = [
  createCohorts,
  getCohorts,
  addCohortMembers,
  deleteCohortMembers,
  getCohortMembers,
];
