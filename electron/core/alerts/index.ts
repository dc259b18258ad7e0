/** Email and webhook alerts, the late source and the digest (docs/alerts.md). */
export { AlertService, type AlertServiceDeps } from './alert-service';
export { AlertStore } from './alert-store';
export { AlertBodySchema, type AlertBody } from './alert-body';
export {
  decideTransitions,
  EMPTY_TRANSITION_MEMORY,
  partsOf,
  type Transition,
  type TransitionMemory,
} from './transitions';
export { lateSourceOf } from './late-source';
export { sendTestAlerts } from './test-alerts';
export { signature, verifySignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook';
