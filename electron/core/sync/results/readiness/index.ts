export { courseReadiness, type ResultsNeeds } from './course-readiness';
export { checkReadiness, type ReadinessOptions } from './check-readiness';
export { resultsNeedsFor } from './results-needs';
