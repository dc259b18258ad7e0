export { createMoodleAdapter, MoodleAdapter, type MoodleAdapterOptions } from './moodle-adapter';
export { ALL_FUNCTIONS, FEATURE_NEEDS } from './features';
