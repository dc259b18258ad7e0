/** Every simulated function by name. */
import type { FunctionDefinition } from './call-context';
import { createCategories, getCategories } from './categories';
import { getActivitiesCompletionStatus } from './completion';
import { COHORT_FUNCTIONS } from './cohorts';
import { getContents } from './course-contents';
import { createCourses, getCourses, getCoursesByField, updateCourses } from './courses';
import { duplicateCourse } from '../course-copy';
import { enrolUsers, getEnrolledUsers, unenrolUsers } from './enrol';
import { getGradeItems } from './grades';
import { addGroupMembers, createGroups, getCourseGroups } from './groups';
import { assignRoles, unassignRoles } from './role-assign';
import { getSiteInfo } from './site-info';
import { createUsers, getUsersByField, updateUsers } from './users';

const ALL: FunctionDefinition[] = [
  getSiteInfo,
  getCourses,
  getCoursesByField,
  createCourses,
  updateCourses,
  duplicateCourse,
  getCategories,
  createCategories,
  getContents,
  getUsersByField,
  createUsers,
  updateUsers,
  enrolUsers,
  unenrolUsers,
  getEnrolledUsers,
  getGradeItems,
  getActivitiesCompletionStatus,
  createGroups,
  addGroupMembers,
  getCourseGroups,
  assignRoles,
  unassignRoles,
  ...COHORT_FUNCTIONS,
];

export const FUNCTIONS: ReadonlyMap<string, FunctionDefinition> = new Map(ALL.map((f) => [f.name, f]));
