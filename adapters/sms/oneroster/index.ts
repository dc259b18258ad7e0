export { createOneRosterAdapter } from './adapter';
export type { EnrolmentRoleTarget, OneRosterOptions, OneRosterVersion, ZipLimits } from './options';
export { DEFAULT_ZIP_LIMITS } from './options';
