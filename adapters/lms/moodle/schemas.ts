import { z } from 'zod';
import { LmsError } from '../../contract';

/**
 * Shapes of the Moodle answers the adapter reads. Only the fields we use are checked; Moodle leaves
 * optional keys out rather than sending null, so most are optional here too.
 */
const int = z.number().int();
const bool01 = z.union([z.boolean(), z.literal(0), z.literal(1)]).transform((v) => v === true || v === 1);

export const SiteInfoSchema = z.object({
  sitename: z.string(),
  siteurl: z.string(),
  username: z.string(),
  userid: int,
  release: z.string().optional(),
  version: z.string().optional(),
  userissiteadmin: z.boolean().optional(),
  functions: z.array(z.object({ name: z.string(), version: z.union([z.string(), z.number()]).optional() })),
});

export const CourseSchema = z.object({
  id: int,
  shortname: z.string(),
  fullname: z.string(),
  idnumber: z.string().optional(),
  categoryid: int.optional(),
  visible: bool01.optional(),
  format: z.string().optional(),
});
export const CoursesByFieldSchema = z.object({ courses: z.array(CourseSchema) });
export const CoursesSchema = z.array(CourseSchema);
export const CreatedCoursesSchema = z.array(z.object({ id: int, shortname: z.string() }));

export const WarningsSchema = z
  .object({
    warnings: z
      .array(
        z.object({ item: z.string().optional(), itemid: int.optional(), warningcode: z.string(), message: z.string() }),
      )
      .default([]),
  })
  .nullable();

export const CategoriesSchema = z.array(
  z.object({ id: int, name: z.string(), idnumber: z.string().nullable().optional(), parent: int }),
);

export const UserSchema = z.object({
  id: int,
  username: z.string().optional(),
  firstname: z.string().optional(),
  lastname: z.string().optional(),
  fullname: z.string().optional(),
  email: z.string().optional(),
  idnumber: z.string().optional(),
  suspended: bool01.optional(),
  auth: z.string().optional(),
  /** user_get_user_details(): the custom profile fields the account has a value in (type is the datatype). */
  customfields: z.array(z.object({ shortname: z.string().optional(), name: z.string().optional() })).optional(),
});
export const UsersSchema = z.array(UserSchema);
export const CreatedUsersSchema = z.array(z.object({ id: int, username: z.string() }));

export const EnrolledUsersSchema = z.array(
  UserSchema.extend({
    roles: z.array(z.object({ roleid: int, shortname: z.string() })).optional(),
    groups: z.array(z.object({ id: int, name: z.string() })).optional(),
  }),
);

export const GroupsSchema = z.array(
  z.object({ id: int, courseid: int, name: z.string(), idnumber: z.string().optional() }),
);

export const NullSchema = z.null();

const GradeItemSchema = z.object({
  id: int,
  itemname: z.string().nullable().optional(),
  itemtype: z.string(),
  itemmodule: z.string().nullable().optional(),
  cmid: int.optional(),
  graderaw: z.number().nullable().optional(),
  gradeformatted: z.string().optional(),
  grademin: z.number().optional(),
  grademax: z.number().optional(),
  percentageformatted: z.string().optional(),
  gradeishidden: z.boolean().optional(),
});
export const GradeItemsSchema = z.object({
  usergrades: z.array(
    z.object({
      courseid: int,
      userid: int,
      userfullname: z.string(),
      useridnumber: z.string().optional(),
      gradeitems: z.array(GradeItemSchema),
    }),
  ),
});

export const CompletionSchema = z.object({
  statuses: z.array(z.object({ cmid: int, modname: z.string(), state: int, timecompleted: int, tracking: int })),
});

/** Parses an answer, or fails with an error that names the function and the first bad field. */
export function parseAnswer<S extends z.ZodType>(schema: S, body: unknown, operation: string): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new LmsError(
    'unexpected',
    `${operation}: unexpected answer at ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? ''}`,
    {
      operation,
      fix: 'The LMS answered in a way ClassBridge does not understand. Check the LMS version and the ClassBridge log.',
    },
  );
}

export type CourseRecordAnswer = z.output<typeof CourseSchema>;
export type UserAnswer = z.output<typeof UserSchema>;
export type GradeItemAnswer = z.output<typeof GradeItemSchema>;
