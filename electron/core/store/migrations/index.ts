import { migration001 } from './001-config';
import { migration002 } from './002-runs';
import { migration003 } from './003-snapshot-and-links';
import { migration004 } from './004-lms-courses-and-results';
import { migration005 } from './005-result-grade-percent';
import { migration006 } from './006-applied-state';
import { migration007 } from './007-held-plans-and-repairs';
import { migration008 } from './008-applied-state-entries';
import { migration009 } from './009-enrolment-groups';
import { migration010 } from './010-lms-roles';
import { migration011 } from './011-data-folder';
import { migration012 } from './012-write-leases';
import { migration013 } from './013-link-decisions';
import { migration014 } from './014-snapshot-extra-fields';
import { migration015 } from './015-kamar-spool';
import { migration016 } from './016-upload-part';
import { migration017 } from './017-leave-alone';
import { migration018 } from './018-course-state-reason';
import { migration019 } from './019-cohorts';
import { migration020 } from './020-parents';
import { migration021 } from './021-course-templates';
import { migration022 } from './022-result-reviews';
import { migration023 } from './023-alerts';
import type { Migration } from './types';

export type { Migration } from './types';

/** Every migration, in order. Add a new file and append it here; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
  migration015,
  migration016,
  migration017,
  migration018,
  migration019,
  migration020,
  migration021,
  migration022,
  migration023,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
