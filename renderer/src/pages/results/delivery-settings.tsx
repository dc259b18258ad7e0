import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DEFAULT_RESULTS_DELIVERY, type LmsConnection } from '../../../../electron/core/model';
import { useApi } from '../../api/api-context';
import { queryKeys } from '../../api/query-keys';

/**
 * Per LMS connection: deliver changed results at once, or only after review, and the review margin
 * around the pass mark (mapping.results; docs/configuration.md). Saved with the rest of the connection
 * as it is, so nothing else of its mapping changes.
 */
export function DeliverySettings({ connection }: { connection: LmsConnection }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const current = connection.mapping.results ?? DEFAULT_RESULTS_DELIVERY;
  const [delivery, setDelivery] = useState(current.delivery);
  const [margin, setMargin] = useState(String(current.reviewMargin));
  const [saved, setSaved] = useState<string | null>(null);
  // Saved elsewhere (another window, config import): show the stored values, adjusted during render as
  // React recommends. Not a remount (a key), which would also drop the "saved" line the admin is reading.
  const [shown, setShown] = useState(current);
  if (shown.delivery !== current.delivery || shown.reviewMargin !== current.reviewMargin) {
    setShown(current);
    setDelivery(current.delivery);
    setMargin(String(current.reviewMargin));
  }
  const save = useMutation({
    mutationFn: () =>
      api.call('connections:save', {
        ...connection,
        mapping: { ...connection.mapping, results: { delivery, reviewMargin: Number(margin) } },
      }),
    onSuccess: async () => {
      setSaved(
        delivery === 'review'
          ? `${connection.name}: changed results wait here until they are accepted.`
          : `${connection.name}: changed results are written on each download.`,
      );
      await queryClient.invalidateQueries({ queryKey: queryKeys.connections });
    },
  });
  const marginNumber = Number(margin);
  const marginProblem =
    margin.trim() === '' || !Number.isFinite(marginNumber) || marginNumber < 0 || marginNumber > 100
      ? 'A number of percentage points from 0 to 100 (0 turns the queue off)'
      : null;
  const id = `results-delivery-${connection.id}`;
  return (
    <form
      className="filters"
      aria-label={`Results delivery for ${connection.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (!marginProblem) save.mutate();
      }}
    >
      <label className="field">
        <span>Delivery to the SMS ({connection.name})</span>
        <select
          value={delivery}
          onChange={(event) => {
            setSaved(null);
            setDelivery(event.target.value as typeof delivery);
          }}
        >
          <option value="automatic">Automatic: write changed results</option>
          <option value="review">Only after review on this page</option>
        </select>
      </label>
      <label className="field">
        <span>Review margin (points around the pass mark)</span>
        <input
          type="number"
          min={0}
          max={100}
          step={0.1}
          value={margin}
          aria-invalid={marginProblem !== null}
          aria-describedby={marginProblem ? `${id}-problem` : undefined}
          onChange={(event) => {
            setSaved(null);
            setMargin(event.target.value);
          }}
        />
      </label>
      <button type="submit" disabled={save.isPending || marginProblem !== null}>
        Save
      </button>
      {marginProblem && (
        <span id={`${id}-problem`} className="inline-error" role="alert">
          {marginProblem}
        </span>
      )}
      {saved && (
        <span className="muted" role="status">
          {saved}
        </span>
      )}
      {save.error && (
        <span className="inline-error" role="alert">
          {save.error.message}
        </span>
      )}
    </form>
  );
}
