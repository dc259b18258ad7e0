/**
 * Reconcile: compares what the LMS really holds with what ClassBridge applied and repairs the drift
 * (records changed or removed by hand in the LMS), recording each repair on the run.
 */
export { runReconcile, type ReconcileResult, type RunReconcileInput } from './run-reconcile';
export { observeLms, type Drift, type Observation, type ObserveOptions } from './observe-lms';
