/** core_webservice_get_site_info (webservice/externallib.php), shaped like ok_core_webservice_get_site_info. */
import { fullname, type CallContext, type FunctionDefinition } from './call-context';
import { multiple, single, value, withDefault } from '../param-validation';
import { OPTIONAL_NULL } from '../response-encoding';

/**
 * Core functions carry the site version; plugin functions (enrol_manual_*, gradereport_user_*) the
 * plugin's, which on the lab site was the version without its ".02" build suffix.
 */
function functionVersion(ctx: CallContext, name: string): string {
  return name.startsWith('core_') ? ctx.site.version : (ctx.site.version.split('.')[0] ?? ctx.site.version);
}

export const getSiteInfo: FunctionDefinition = {
  name: 'core_webservice_get_site_info',
  // serviceshortnames is deprecated and ignored, but still accepted.
  params: single({ serviceshortnames: withDefault(multiple(value('alphanumext')), []) }),
  transaction: 'read',
  run(_params, ctx) {
    const user = ctx.caller;
    const siteCourse = ctx.state.courses.get(ctx.state.siteCourseId);
    return {
      sitename: siteCourse?.fullname ?? '',
      username: user.username,
      firstname: user.firstname,
      lastname: user.lastname,
      fullname: fullname(user),
      lang: user.lang || ctx.state.site.lang,
      userid: user.id,
      siteurl: ctx.site.url,
      userpictureurl: `${ctx.site.url}/theme/image.php/${ctx.state.site.theme}/core/${ctx.state.site.themeRevision}/u/f1`,
      // Every function of the service, whatever the user's capabilities (ok_limited_after_restore).
      functions: ctx.serviceFunctions.map((name) => ({ name, version: functionVersion(ctx, name) })),
      downloadfiles: 0,
      uploadfiles: 0,
      release: ctx.site.release,
      version: ctx.site.version,
      mobilecssurl: '',
      advancedfeatures: [
        ['usecomments', 1],
        ['usetags', 1],
        ['enablenotes', 1],
        ['messaging', 1],
        ['enableblogs', 1],
        ['enablecompletion', 1],
        ['enablebadges', 1],
        ['messagingallusers', 0],
        ['enablecustomreports', 1],
        ['enableglobalsearch', 0],
        ['mnet_dispatcher_mode', 0],
        ['enablecompetencies', 1],
      ].map(([name, value]) => ({ name, value })),
      usercanmanageownfiles: true,
      userquota: 104857600,
      usermaxuploadfilesize: 67108864,
      userhomepage: 1,
      // null in the raw return: JSON leaves it out, XML writes it (err_bad_rest_format_xml_default).
      userhomepageurl: OPTIONAL_NULL,
      userprivateaccesskey: user.privateAccessKey,
      siteid: ctx.state.siteCourseId,
      sitecalendartype: ctx.state.site.calendarType,
      usercalendartype: user.calendartype,
      userissiteadmin: user.siteAdmin,
      theme: ctx.state.site.theme,
      limitconcurrentlogins: 0,
      usersessionscount: OPTIONAL_NULL,
      policyagreed: 0,
    };
  },
};
