/**
 * Results an RTO can submit (docs/results.md): exact outcomes (decided from the unrounded LMS value,
 * results near the pass mark queued for a person), never overwriting a person's edit in the SMS
 * (conflicts), and delivery after review. `deliverReviewedResults` is the results run's delivery;
 * `proposeResult` the pure part (what would be written, and why).
 */
export {
  deliverReviewedResults,
  type ResultConflict,
  type ReviewedDeliveryOptions,
  type ReviewedDeliverySummary,
  type ReviewedWriter,
} from './deliver-reviewed';
export { proposeResult, percentText, type Proposal } from './proposal';
export { waitingSentence } from './run-message';
