import { apiEvents, type ApiClient, type ApiEvent } from '../../../electron/core/contract/contract';
import { ApiError } from '../../../electron/core/contract/errors';
import { apiErrorFrom } from './api-error-from';
import { createEventHub } from './event-hub';

/** The headless host's transport: `POST /api/<method>` with JSON, and server-sent events. */
export function createHttpApiClient(token: string | null): ApiClient {
  let stream: EventSource | null = null;
  const hub = createEventHub((active) => {
    if (active) stream = openEventStream();
    else {
      stream?.close();
      stream = null;
    }
  });

  function openEventStream(): EventSource {
    const source = new EventSource(`/api/events?token=${encodeURIComponent(token ?? '')}`);
    for (const event of Object.keys(apiEvents) as ApiEvent[]) {
      source.addEventListener(event, (message) => hub.deliver(event, parseJson(message.data)));
    }
    let hasOpened = false;
    source.addEventListener('open', () => {
      // EventSource reconnects by itself after a drop; anything that happened meanwhile was missed.
      if (hasOpened) hub.deliverToAll();
      hasOpened = true;
    });
    return source;
  }

  return {
    async call(method, input) {
      let response: Response;
      try {
        // Method names such as `status:get` go into the path as they are; the host routes on them.
        response = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token ?? ''}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(input),
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ApiError({ code: 'unavailable', message: `ClassBridge's engine did not answer (${reason})` });
      }
      const body: unknown = await response.json().catch(() => null);
      if (response.ok && isEnvelope(body) && body.ok === true) return body.result as never;
      const errorBody = isEnvelope(body) && body.ok === false ? body.error : null;
      throw apiErrorFrom(errorBody, unavailableMessage(response.status));
    },

    on(event, listener) {
      return hub.add(event, listener);
    },
  };
}

function unavailableMessage(status: number): string {
  if (status === 401) {
    return (
      'ClassBridge did not accept this page’s access token (HTTP 401). ' +
      'Open the address that `classbridge serve` printed, including its ?token=… part.'
    );
  }
  return `ClassBridge's engine did not answer (HTTP ${status})`;
}

function isEnvelope(body: unknown): body is { ok: boolean; result?: unknown; error?: unknown } {
  return typeof body === 'object' && body !== null && typeof (body as { ok?: unknown }).ok === 'boolean';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
