export { createAvetmissAdapter, type AvetmissAdapter, type AvetmissAdapterOptions } from './adapter';
export type { CourseFrom } from './activities';
export { DEFAULT_OUTCOME_RULE, type OutcomeRule } from './outcome-rule';
export { OUTCOME_CODES, LMS_PROPOSABLE_OUTCOMES } from './outcomes';
export { watchExportFolder, type ExportFolderWatch, type WatchOptions } from './watch';
export { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip';
