/** core_completion_get_activities_completion_status (completion/classes/external.php). */
import { single, value } from '../param-validation';
import {
  asInt,
  callerSeesModule,
  courseModulesInOrder,
  courseOrMissing,
  isActivelyEnrolled,
  requireCapability,
  userOrMissing,
  validateCourseContext,
  type FunctionDefinition,
} from './call-context';

export const getActivitiesCompletionStatus: FunctionDefinition = {
  name: 'core_completion_get_activities_completion_status',
  params: single({ courseid: value('int'), userid: value('int') }),
  transaction: 'read',
  run(params, ctx) {
    const course = courseOrMissing(ctx, asInt(params.courseid));
    const user = userOrMissing(ctx, asInt(params.userid));
    validateCourseContext(ctx, course.id);
    // services.php declares report/completion:view, but the code requires report/progress:view for
    // another user (err_undeclared_capability_report_progress_view).
    if (user.id !== ctx.caller.id) requireCapability(ctx, 'report/progress:view');
    const tracked = isActivelyEnrolled(ctx.state, user.id, course.id, ctx.now);
    const statuses = courseModulesInOrder(ctx, course.id)
      .filter((m) => m.completion > 0 && callerSeesModule(ctx, m))
      .map((m) => {
        const record = ctx.state.completions.find((c) => c.cmid === m.id && c.userid === user.id);
        const state = record?.state ?? 0;
        return {
          cmid: m.id,
          modname: m.modname,
          instance: m.instance,
          state,
          timecompleted: record?.timecompleted ?? 0,
          tracking: m.completion,
          overrideby: null,
          valueused: false,
          hascompletion: true,
          isautomatic: m.completion === 2,
          istrackeduser: tracked,
          uservisible: true,
          details: [],
          isoverallcomplete: state === 1 || state === 2,
        };
      });
    return { statuses, warnings: [] };
  },
};
