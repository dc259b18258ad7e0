/** core_course_get_contents (course/externallib.php), shaped like ok_core_course_get_contents. */
import { multiple, single, value, withDefault } from '../param-validation';
import type { SimModule, SimSection } from '../state';
import {
  asInt,
  asString,
  callerSeesModule,
  courseOrMissing,
  records,
  validateCourseContextWrapped,
  type CallContext,
  type FunctionDefinition,
} from './call-context';

const MODULE_LABELS: Record<string, { plural: string; purpose: string }> = {
  assign: { plural: 'Assignments', purpose: 'assessment' },
  quiz: { plural: 'Quizzes', purpose: 'assessment' },
  forum: { plural: 'Forums', purpose: 'collaboration' },
  page: { plural: 'Pages', purpose: 'content' },
  resource: { plural: 'Files', purpose: 'content' },
  url: { plural: 'URLs', purpose: 'content' },
  label: { plural: 'Text and media areas', purpose: 'content' },
};

function moduleRecord(ctx: CallContext, m: SimModule, excludeContents: boolean): Record<string, unknown> {
  const url = ctx.site.url;
  const labels = MODULE_LABELS[m.modname] ?? { plural: m.modname, purpose: 'other' };
  const hasFile = m.modname === 'page' && !excludeContents;
  return {
    id: m.id,
    url: `${url}/mod/${m.modname}/view.php?id=${m.id}`,
    name: m.name,
    instance: m.instance,
    contextid: m.contextid,
    visible: m.visible,
    // Worked out for the token user, who may see hidden activities; not for a student (§3.1).
    uservisible: true,
    visibleoncoursepage: m.visibleoncoursepage,
    modicon: `${url}/theme/image.php/${ctx.state.site.theme}/${m.modname}/${ctx.state.site.themeRevision}/monologo?filtericon=1`,
    modname: m.modname,
    purpose: labels.purpose,
    branded: false,
    modplural: labels.plural,
    availability: null,
    indent: 0,
    onclick: '',
    afterlink: null,
    activitybadge: m.modname === 'forum' ? [] : undefined,
    customdata: m.customdata,
    noviewlink: false,
    completion: m.completion,
    completiondata:
      m.completion > 0
        ? {
            state: 0,
            timecompleted: 0,
            overrideby: null,
            valueused: false,
            hascompletion: true,
            isautomatic: m.completion === 2,
            // The token user is not a tracked (enrolled) user.
            istrackeduser: false,
            uservisible: true,
            details: [],
            isoverallcomplete: false,
          }
        : undefined,
    downloadcontent: 1,
    dates: m.duedate > 0 ? [{ label: 'Due:', timestamp: m.duedate, dataid: 'duedate' }] : [],
    groupmode: 0,
    contents: hasFile
      ? [
          {
            type: 'file',
            filename: 'index.html',
            filepath: '/',
            filesize: 0,
            fileurl: `${url}/webservice/pluginfile.php/${m.contextid}/mod_page/content/index.html?forcedownload=1`,
            timecreated: null,
            timemodified: m.timemodified,
            sortorder: 1,
            userid: null,
            author: null,
            license: null,
          },
        ]
      : undefined,
    contentsinfo: hasFile
      ? { filescount: 1, filessize: 0, lastmodified: m.timemodified, mimetypes: [], repositorytype: '' }
      : undefined,
  };
}

function sectionName(section: SimSection): string {
  return section.name ?? (section.section === 0 ? 'General' : 'New section');
}

export const getContents: FunctionDefinition = {
  name: 'core_course_get_contents',
  params: single({
    courseid: value('int'),
    options: withDefault(multiple(single({ name: value('alphanum'), value: value('raw') })), []),
  }),
  transaction: 'read',
  run(params, ctx) {
    const course = courseOrMissing(ctx, asInt(params.courseid));
    validateCourseContextWrapped(ctx, course.id);
    const options = new Map(records(params.options).map((o) => [asString(o.name).toLowerCase(), asString(o.value)]));
    const flag = (name: string): boolean => options.get(name) === '1' || options.get(name) === 'true';
    const sections = [...ctx.state.sections.values()]
      .filter((s) => s.courseid === course.id)
      .filter((s) => !options.has('sectionid') || s.id === Number(options.get('sectionid')))
      .filter((s) => !options.has('sectionnumber') || s.section === Number(options.get('sectionnumber')))
      .sort((a, b) => a.section - b.section);
    return sections.map((section) => {
      const modules = flag('excludemodules')
        ? []
        : section.sequence
            .map((cmid) => ctx.state.modules.get(cmid))
            .filter((m): m is SimModule => m !== undefined)
            // Not visible to the caller: left out silently, no warning (quirk_no_mod_view_caps_core_course_get_contents).
            .filter((m) => callerSeesModule(ctx, m))
            .filter((m) => !options.has('cmid') || m.id === Number(options.get('cmid')))
            .filter((m) => !options.has('modname') || m.modname === options.get('modname'))
            .map((m) => moduleRecord(ctx, m, flag('excludecontents')));
      return {
        id: section.id,
        name: sectionName(section),
        visible: section.visible,
        summary: section.summary,
        summaryformat: 1,
        section: section.section,
        hiddenbynumsections: 0,
        uservisible: true,
        component: null,
        itemid: null,
        modules,
      };
    });
  },
};
