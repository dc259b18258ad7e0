/**
 * gradereport_user_get_grade_items (grade/report/user/classes/external/user.php): one user report per
 * graded user. Totals use Moodle's default "natural" aggregation with only graded items counted, which
 * reproduces the recorded course totals (126 of 190 for s1001) and weights (0.52632).
 *
 * Hidden grades (grade_grade::is_hidden(): the item or the grade hidden, or hidden until a date still
 * ahead) follow Moodle's rules. A caller with moodle/grade:viewhidden (ClassBridge's documented role)
 * gets every item, flagged `gradeishidden`, and the real totals, hidden marks included (the recorded
 * 126 of 190 holds the hidden final exam's 42). Any other caller gets no hidden items, and totals per
 * grade_report_user_showtotalsifcontainhidden (SimSite.showTotalsIfContainHidden): 0, the default,
 * blanks a total that a hidden mark counts in; 1 recomputes it without hidden items; 2 shows the real one.
 */
import { moodleException } from '../errors';
import { single, value, withDefault } from '../param-validation';
import { rowsWhere, type SimGrade, type SimGradeItem, type SimUser } from '../state';
import {
  asInt,
  can,
  callerSeesModule,
  courseOrMissing,
  fullname,
  isActivelyEnrolled,
  requireCapability,
  userOrMissing,
  validateCourseContext,
  type CallContext,
  type FunctionDefinition,
} from './call-context';

interface Aggregate {
  value: number | null;
  max: number;
  dategraded: number | null;
}

const pct = (n: number): string => `${n.toFixed(2)} %`;

/** grade_get_letters(null) in grade/lib.php: Moodle's default letter boundaries, highest first. */
const DEFAULT_LETTERS: readonly (readonly [number, string])[] = [
  [93, 'A'],
  [90, 'A-'],
  [87, 'B+'],
  [83, 'B'],
  [80, 'B-'],
  [77, 'C+'],
  [73, 'C'],
  [70, 'C-'],
  [67, 'D+'],
  [60, 'D'],
  [0, 'F'],
];

/**
 * grade_format_gradevalue (lib/gradelib.php) for the display types the simulator knows: real (2 decimals),
 * percentage, or letter (the score standardised to 0–100, bounded, against the letter boundaries).
 */
function formatGrade(value: number, min: number, max: number, display: SimGradeItem['display']): string {
  if (display === undefined || display === 'real') return value.toFixed(2);
  const percent = max === min ? 0 : Math.min(100, Math.max(0, ((value - min) / (max - min)) * 100));
  if (display === 'percentage') return pct(percent);
  return DEFAULT_LETTERS.find(([boundary]) => percent >= boundary)?.[1] ?? '-';
}

/** A course's grade items in sort order and what each grade category holds; the same for every user of one call. */
class CourseItems {
  readonly items: SimGradeItem[];
  private readonly childrenOf = new Map<number, SimGradeItem[]>();

  constructor(
    private readonly ctx: CallContext,
    courseid: number,
  ) {
    this.items = [...ctx.state.gradeItems.values()]
      .filter((i) => i.courseid === courseid)
      .sort((a, b) => a.sortorder - b.sortorder);
  }

  /** Items (and subcategory totals) directly inside a grade category, in sort order. */
  children(categoryId: number): SimGradeItem[] {
    const known = this.childrenOf.get(categoryId);
    if (known) return known;
    const subcategories = new Set(
      [...this.ctx.state.gradeCategories.values()].filter((c) => c.parent === categoryId).map((c) => c.id),
    );
    const children = this.items.filter(
      (i) =>
        i.categoryid === categoryId ||
        (i.itemtype === 'category' && i.iteminstance !== null && subcategories.has(i.iteminstance)),
    );
    this.childrenOf.set(categoryId, children);
    return children;
  }
}

class UserReport {
  private readonly items: SimGradeItem[];
  private readonly grades: Map<number, SimGrade>;
  private readonly totals = new Map<number, Aggregate>();
  private readonly weights = new Map<number, number>();

  constructor(
    private readonly ctx: CallContext,
    private readonly course: CourseItems,
    user: SimUser,
  ) {
    this.items = course.items;
    this.grades = new Map(rowsWhere(ctx.state.grades, 'userid', user.id).map((g) => [g.itemid, g]));
  }

  /** grade_grade::is_hidden(): hidden (1), or hidden until a time not reached yet (grade_items/grade_grades.hidden). */
  private hidden(item: SimGradeItem): boolean {
    const grade = this.grades.get(item.id);
    const until = (t: number | undefined): boolean => t !== undefined && t > this.ctx.now;
    return item.hidden || until(item.hiddenuntil) || (grade?.hidden ?? false) || until(grade?.hiddenuntil);
  }

  /** Whether the caller's totals leave hidden items out: only the recomputing setting (1) for those who cannot see them. */
  private get excludesHidden(): boolean {
    return !this.seesHidden && (this.ctx.state.site.showTotalsIfContainHidden ?? 0) === 1;
  }

  private get seesHidden(): boolean {
    return can(this.ctx, 'moodle/grade:viewhidden');
  }

  /** Whether a hidden item with a mark counts in this total (get_hiding_affected: such a total is "altered"). */
  private containsHiddenMark(categoryId: number): boolean {
    return this.children(categoryId).some((child) =>
      child.itemtype === 'category' || child.itemtype === 'course'
        ? this.containsHiddenMark(child.iteminstance ?? 0)
        : this.hidden(child) && (this.grades.get(child.id)?.finalgrade ?? null) !== null,
    );
  }

  private children(categoryId: number): SimGradeItem[] {
    return this.course.children(categoryId);
  }

  /** Natural aggregation of a category; hidden items are left out only where the site recomputes totals without them. */
  private aggregate(categoryId: number): Aggregate {
    const parts = this.children(categoryId)
      .filter((child) => !this.excludesHidden || !this.hidden(child))
      .map((child) => ({ child, agg: this.valueOf(child) }));
    const graded = parts.filter((p) => p.agg.value !== null);
    const max =
      graded.length > 0 ? graded.reduce((s, p) => s + p.agg.max, 0) : parts.reduce((s, p) => s + p.agg.max, 0);
    for (const p of parts) this.weights.set(p.child.id, p.agg.value !== null && max > 0 ? p.agg.max / max : 0);
    const dates = graded.map((p) => p.agg.dategraded).filter((d): d is number => d !== null);
    return {
      value: graded.length > 0 ? graded.reduce((s, p) => s + (p.agg.value ?? 0), 0) : null,
      max,
      dategraded: dates.length > 0 ? Math.max(...dates) : null,
    };
  }

  private valueOf(item: SimGradeItem): Aggregate {
    const cached = this.totals.get(item.id);
    if (cached) return cached;
    let result: Aggregate;
    if (item.itemtype === 'course' || item.itemtype === 'category') {
      result = this.aggregate(item.iteminstance ?? 0);
    } else {
      const grade = this.grades.get(item.id);
      const graded = grade?.finalgrade ?? null;
      result = {
        value: graded,
        max: item.grademax,
        dategraded: graded === null ? null : (grade?.timemodified ?? null),
      };
    }
    this.totals.set(item.id, result);
    return result;
  }

  /** Report rows in the user report's order: a category's children, then its total; the course total last. */
  rows(): Record<string, unknown>[] {
    const courseItem = this.items.find((i) => i.itemtype === 'course');
    if (!courseItem) return [];
    this.valueOf(courseItem);
    const ordered: SimGradeItem[] = [];
    const walk = (categoryId: number): void => {
      for (const child of this.children(categoryId)) {
        if (child.itemtype === 'category') walk(child.iteminstance ?? 0);
        ordered.push(child);
      }
    };
    walk(courseItem.iteminstance ?? 0);
    ordered.push(courseItem);
    return ordered.filter((item) => this.shown(item)).map((item) => this.row(item));
  }

  private shown(item: SimGradeItem): boolean {
    if (this.hidden(item) && !this.seesHidden) return false;
    if (item.itemtype !== 'mod' || item.cmid === null) return true;
    const module = this.ctx.state.modules.get(item.cmid);
    // Left out without an error when the caller lacks the activity's view capability (quirk_no_mod_view_caps_*).
    return module === undefined || callerSeesModule(this.ctx, module);
  }

  private row(item: SimGradeItem): Record<string, unknown> {
    const agg = this.valueOf(item);
    const isTotal = item.itemtype === 'course' || item.itemtype === 'category';
    const max = isTotal ? agg.max : item.grademax;
    const weight = this.weights.get(item.id) ?? 0;
    // Setting 0 (the default) for a caller without viewhidden: a total a hidden mark counts in is blanked.
    const blanked =
      isTotal &&
      !this.seesHidden &&
      (this.ctx.state.site.showTotalsIfContainHidden ?? 0) === 0 &&
      this.containsHiddenMark(item.iteminstance ?? 0);
    const value = blanked ? null : agg.value;
    return {
      id: item.id,
      itemname: item.itemname,
      itemtype: item.itemtype,
      itemmodule: item.itemmodule,
      iteminstance: item.iteminstance,
      itemnumber: item.itemnumber,
      idnumber: item.idnumber,
      categoryid: item.categoryid,
      outcomeid: null,
      // Core fills scaleid from outcomeid (a known bug), so it is null here too.
      scaleid: null,
      locked: item.locked,
      cmid: item.itemtype === 'mod' ? (item.cmid ?? undefined) : undefined,
      weightraw: item.itemtype === 'course' ? undefined : Number(weight.toFixed(5)),
      weightformatted: item.itemtype === 'course' ? undefined : pct(weight * 100),
      status: item.itemtype !== 'course' && value === null ? 'novalue' : undefined,
      graderaw: value,
      gradedatesubmitted: null,
      gradedategraded: agg.dategraded,
      gradehiddenbydate: false,
      gradeneedsupdate: false,
      gradeishidden: this.hidden(item),
      gradeislocked: false,
      gradeisoverridden: false,
      gradeformatted: value === null ? '-' : formatGrade(value, item.grademin, max, item.display),
      // The range and percentage columns of the User report (site settings, on by default): off, their fields are absent.
      ...(this.ctx.state.site.userReportShowRange === false
        ? {}
        : {
            grademin: item.grademin,
            grademax: max,
            rangeformatted: `${item.grademin.toFixed(0)}&ndash;${max.toFixed(0)}`,
          }),
      ...(this.ctx.state.site.userReportShowPercentage === false
        ? {}
        : {
            percentageformatted:
              value === null || max === item.grademin
                ? '-'
                : pct(((value - item.grademin) / (max - item.grademin)) * 100),
          }),
      feedback: this.grades.get(item.id)?.feedback ?? '',
      feedbackformat: 2,
    };
  }
}

function maxDepth(ctx: CallContext, courseid: number): number {
  const categories = [...ctx.state.gradeCategories.values()].filter((c) => c.courseid === courseid);
  const depth = (id: number | null): number =>
    id === null ? 0 : 1 + depth(ctx.state.gradeCategories.get(id)?.parent ?? null);
  return 1 + Math.max(1, ...categories.map((c) => depth(c.id)));
}

export const getGradeItems: FunctionDefinition = {
  name: 'gradereport_user_get_grade_items',
  params: single({
    courseid: value('int'),
    userid: withDefault(value('int'), 0),
    groupid: withDefault(value('int'), 0),
  }),
  transaction: 'read',
  run(params, ctx) {
    const state = ctx.state;
    const course = courseOrMissing(ctx, asInt(params.courseid));
    validateCourseContext(ctx, course.id);
    requireCapability(ctx, 'gradereport/user:view');
    const userid = asInt(params.userid);
    let users: SimUser[];
    if (userid === 0) {
      requireCapability(ctx, 'moodle/grade:viewall');
      // graded_users_iterator: gradebook roles (student) with an active enrolment, by last name then first name.
      const student = [...state.roles.values()].find((r) => r.shortname === 'student');
      const ids = new Set(
        rowsWhere(state.roleAssignments, 'courseid', course.id)
          .filter((ra) => ra.roleid === student?.id && isActivelyEnrolled(state, ra.userid, course.id, ctx.now))
          .map((ra) => ra.userid),
      );
      users = [...ids]
        .map((id) => state.users.get(id))
        .filter((u): u is SimUser => u !== undefined && !u.deleted)
        .sort((a, b) => a.lastname.localeCompare(b.lastname) || a.firstname.localeCompare(b.firstname));
    } else {
      users = [userOrMissing(ctx, userid)];
      if (!can(ctx, 'moodle/grade:viewall') && userid !== ctx.caller.id) {
        throw moodleException('nopermissiontoviewgrades', 'Can not view grades.');
      }
    }
    const groupid = asInt(params.groupid);
    if (groupid) users = users.filter((u) => state.groups.get(groupid)?.members.includes(u.id));
    const items = new CourseItems(ctx, course.id);
    const depth = maxDepth(ctx, course.id);
    return {
      usergrades: users.map((user) => ({
        courseid: course.id,
        courseidnumber: course.idnumber,
        userid: user.id,
        userfullname: fullname(user),
        useridnumber: user.idnumber,
        maxdepth: depth,
        gradeitems: new UserReport(ctx, items, user).rows(),
      })),
      warnings: [],
    };
  },
};
