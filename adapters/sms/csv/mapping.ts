import { z } from 'zod';

/**
 * The column mapping saved per connection: which file holds what, and for each field ClassBridge
 * needs, the header of the source column. Two shapes, because schools export both (ref B.2, F.1):
 * - `combined`: one file, one row per enrolment, with the student's and the class's columns side by
 *   side (what eTAP, Assembly and Edge report writers produce most easily);
 * - `separate`: a people file and an enrolments file, optionally courses and groups files, joined by id.
 * Headers are matched exactly first, then ignoring case, spaces and punctuation.
 */

/** A header in the source file, as the wizard shows it. */
const Column = z.string().trim().min(1, 'a column header is required');

/** A plain file name inside the chosen folder: the mapping never points outside it. */
const FileName = z
  .string()
  .trim()
  .min(1)
  .refine((name) => !/[\\/]/.test(name) && name !== '.' && name !== '..', 'a file name without folders');

/** Cell values, compared ignoring case and surrounding spaces. */
const Values = z.array(z.string().trim().min(1)).default([]);

const PersonRole = z.union([
  z.enum(['student', 'staff']),
  z.object({ column: Column, values: z.object({ student: Values, staff: Values }) }),
]);

const EnrolmentRole = z.union([
  z.enum(['student', 'teacher']),
  z.object({ column: Column, values: z.object({ student: Values, teacher: Values }) }),
]);

/** A yes/no column: a cell listed in `inactive` means inactive, anything else (blank too) active. */
const ActiveFlag = z.object({
  column: Column,
  inactive: Values.default(['inactive', 'left', 'withdrawn', 'no', 'n', 'false', '0']),
});

export const PersonColumnsSchema = z.object({
  smsId: Column,
  givenName: Column,
  familyName: Column,
  email: Column.optional(),
  username: Column.optional(),
  /** A fixed role for every row, or a column whose values say which. Default: student. */
  role: PersonRole.optional(),
  active: ActiveFlag.optional(),
  /** Other facts to keep on the person, e.g. `{ yearLevel: 'Year Level', nsn: 'NSN' }`. */
  extra: z.record(z.string().min(1), Column).optional(),
});

export const CourseColumnsSchema = z.object({
  smsId: Column,
  /** Default: the id column. */
  code: Column.optional(),
  /** Default: the code. */
  name: Column.optional(),
  startDate: Column.optional(),
  endDate: Column.optional(),
  /** The term or semester the course runs in, as the SMS names it (tested by course category and template rules). */
  term: Column.optional(),
  /** The subject or learning area (the same). */
  subject: Column.optional(),
});

const GroupScope = z.enum(['global', 'per-course']).default('global');

export const GroupColumnsSchema = z.object({
  smsId: Column,
  /** Required in the groups file of `separate` mode; in `combined` mode the row's course is used. */
  courseSmsId: Column.optional(),
  name: Column.optional(),
  /**
   * `per-course` when the class column only numbers classes within a subject (KAMAR-style core/option
   * "1-1", ref A.4): the group id becomes `<course id>/<class>` so two subjects' class 1 stay apart.
   */
  scope: GroupScope,
});

const EnrolmentDetails = {
  role: EnrolmentRole.optional(),
  startDate: Column.optional(),
  endDate: Column.optional(),
  active: ActiveFlag.optional(),
  outcome: Column.optional(),
};

export const EnrolmentColumnsSchema = z.object({
  personSmsId: Column,
  courseSmsId: Column,
  groupSmsId: Column.optional(),
  /** Used for courses when there is no courses file. */
  courseName: Column.optional(),
  ...EnrolmentDetails,
});

/** Teachers named on each row of a combined file (they become staff with teacher enrolments). */
export const TeacherColumnsSchema = z.object({
  smsId: Column,
  givenName: Column.optional(),
  familyName: Column.optional(),
  email: Column.optional(),
});

export const CombinedMappingSchema = z.object({
  mode: z.literal('combined'),
  file: FileName,
  person: PersonColumnsSchema,
  course: CourseColumnsSchema,
  group: GroupColumnsSchema.omit({ courseSmsId: true }).optional(),
  enrolment: z.object(EnrolmentDetails).optional(),
  teacher: TeacherColumnsSchema.optional(),
});

export const SeparateMappingSchema = z.object({
  mode: z.literal('separate'),
  files: z.object({
    people: FileName,
    courses: FileName.optional(),
    groups: FileName.optional(),
    enrolments: FileName,
  }),
  people: PersonColumnsSchema,
  courses: CourseColumnsSchema.optional(),
  groups: GroupColumnsSchema.extend({ courseSmsId: Column }).optional(),
  enrolments: EnrolmentColumnsSchema,
});

export const CsvMappingSchema = z
  .discriminatedUnion('mode', [CombinedMappingSchema, SeparateMappingSchema])
  .superRefine((mapping, ctx) => {
    if (mapping.mode !== 'separate') return;
    if (mapping.files.courses && !mapping.courses)
      ctx.addIssue({ code: 'custom', path: ['courses'], message: 'columns for the courses file are required' });
    if (mapping.files.groups && !mapping.groups)
      ctx.addIssue({ code: 'custom', path: ['groups'], message: 'columns for the groups file are required' });
  });

export type CsvMapping = z.output<typeof CsvMappingSchema>;
/** What a caller writes (defaults not yet applied). */
export type CsvMappingInput = z.input<typeof CsvMappingSchema>;
export type CombinedMapping = z.output<typeof CombinedMappingSchema>;
export type SeparateMapping = z.output<typeof SeparateMappingSchema>;
export type PersonColumns = z.output<typeof PersonColumnsSchema>;
export type CourseColumns = z.output<typeof CourseColumnsSchema>;
export type ActiveFlagColumn = z.output<typeof ActiveFlag>;
export type PersonRoleMapping = z.output<typeof PersonRole>;
export type EnrolmentRoleMapping = z.output<typeof EnrolmentRole>;
