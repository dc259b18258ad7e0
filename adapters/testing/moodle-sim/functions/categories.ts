/** Category functions (course/externallib.php): get_categories, create_categories. */
import { invalidParameter, moodleException } from '../errors';
import { multiple, optional, single, value, withDefault } from '../param-validation';
import { takeId, type SimCategory } from '../state';
import {
  asInt,
  asString,
  can,
  records,
  requireCapability,
  type CallContext,
  type FunctionDefinition,
} from './call-context';

const CRITERIA_KEYS = new Set(['id', 'ids', 'name', 'parent', 'idnumber', 'visible', 'theme']);

function matches(category: SimCategory, key: string, raw: string): boolean {
  switch (key) {
    case 'id':
      return category.id === Number(raw);
    case 'ids':
      return raw.split(',').map(Number).includes(category.id);
    case 'name':
      return category.name === raw;
    case 'parent':
      return category.parent === Number(raw);
    case 'idnumber':
      return category.idnumber === raw;
    case 'visible':
      return category.visible === Number(raw);
    default:
      return category.theme === raw;
  }
}

function descendantsOf(all: SimCategory[], id: number): SimCategory[] {
  return all.filter((c) => c.path.split('/').includes(String(id)) && c.id !== id);
}

function categoryRecord(ctx: CallContext, category: SimCategory): Record<string, unknown> {
  const manager = can(ctx, 'moodle/category:manage');
  const coursecount = [...ctx.state.courses.values()].filter((c) => c.category === category.id).length;
  // idnumber, visible, visibleold, timemodified and theme are for managers only (§3.1).
  return {
    id: category.id,
    name: category.name,
    idnumber: manager ? category.idnumber : undefined,
    description: category.description,
    descriptionformat: category.descriptionformat,
    parent: category.parent,
    sortorder: category.sortorder,
    coursecount,
    visible: manager ? category.visible : undefined,
    visibleold: manager ? category.visibleold : undefined,
    timemodified: manager ? category.timemodified : undefined,
    depth: category.depth,
    path: category.path,
    theme: manager ? category.theme : undefined,
  };
}

export const getCategories: FunctionDefinition = {
  name: 'core_course_get_categories',
  params: single({
    criteria: withDefault(multiple(single({ key: value('alpha'), value: value('raw') })), []),
    addsubcategories: withDefault(value('bool'), true),
  }),
  transaction: 'read',
  run(params, ctx) {
    const all = [...ctx.state.categories.values()].sort((a, b) => a.sortorder - b.sortorder);
    const criteria = records(params.criteria);
    for (const c of criteria) {
      if (!CRITERIA_KEYS.has(asString(c.key)))
        throw invalidParameter(`The criteria key ${asString(c.key)} is not supported`);
    }
    let found = all.filter((cat) => criteria.every((c) => matches(cat, asString(c.key), asString(c.value))));
    if (criteria.length > 0 && params.addsubcategories === true) {
      const ids = new Set(found.map((c) => c.id));
      for (const cat of [...found]) for (const d of descendantsOf(all, cat.id)) if (!ids.has(d.id)) ids.add(d.id);
      found = all.filter((c) => ids.has(c.id));
    }
    const seeHidden = can(ctx, 'moodle/category:viewhiddencategories') || can(ctx, 'moodle/category:manage');
    return found.filter((c) => c.visible || seeHidden).map((c) => categoryRecord(ctx, c));
  },
};

export const createCategories: FunctionDefinition = {
  name: 'core_course_create_categories',
  params: single({
    categories: multiple(
      single({
        name: value('text'),
        parent: withDefault(value('int'), 0),
        idnumber: optional(value('raw')),
        description: optional(value('raw')),
        descriptionformat: withDefault(value('int'), 1),
        theme: optional(value('theme')),
      }),
    ),
  }),
  mainArray: 'categories',
  transaction: 'all-or-nothing',
  run(params, ctx) {
    const state = ctx.state;
    const created = [];
    for (const input of records(params.categories)) {
      const parentId = asInt(input.parent);
      const parent = parentId === 0 ? null : state.categories.get(parentId);
      if (parent === undefined) throw moodleException('unknowcategory', 'Unknown category');
      requireCapability(ctx, 'moodle/category:manage');
      const name = asString(input.name);
      if (name.trim() === '') throw moodleException('categorynamerequired', 'The category name is required.');
      const idnumber = input.idnumber === undefined ? '' : asString(input.idnumber);
      // core_course_category::create checks the idnumber (err_duplicate_category_idnumber).
      if (idnumber !== '' && [...state.categories.values()].some((c) => c.idnumber === idnumber)) {
        throw moodleException('categoryidnumbertaken', 'ID number is already used for another category');
      }
      const id = takeId(state, 'category');
      const maxSort = Math.max(0, ...[...state.categories.values()].map((c) => c.sortorder));
      state.categories.set(id, {
        id,
        name,
        idnumber,
        description: input.description === undefined ? '' : asString(input.description),
        descriptionformat: asInt(input.descriptionformat),
        parent: parentId,
        sortorder: Math.floor(maxSort / 10000) * 10000 + 10000,
        visible: parent ? parent.visible : 1,
        visibleold: 1,
        timemodified: ctx.now,
        depth: parent ? parent.depth + 1 : 1,
        path: `${parent ? parent.path : ''}/${id}`,
        theme: input.theme === undefined ? '' : asString(input.theme),
      });
      created.push({ id, name });
    }
    return created;
  },
};
