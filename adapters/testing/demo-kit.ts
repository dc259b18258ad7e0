/**
 * What `classbridge demo` needs of the test kits: the Moodle simulator and the generated school. Built
 * as its own entry (out/host/demo-kit.mjs, scripts/build.mjs) and loaded by the demo with a dynamic
 * import, so the CLI bundle carries no simulator code and only the demo pays for loading it.
 */
export {
  defaultSeed,
  gradeItem,
  gradeStudent,
  seedCourse,
  startMoodleSim,
  studentsByCourse,
  type MoodleSim,
  type SimModule,
  type SimSeed,
} from './moodle-sim';
export { generateSchool, oneRosterFiles, seededRandom, zipBytes } from './sms-fixtures';
