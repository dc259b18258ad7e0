import { describe, expect, it, vi } from 'vitest';
import { createEventHub } from './event-hub';

describe('createEventHub', () => {
  it('opens the transport for the first listener and closes it after the last', () => {
    const onActiveChange = vi.fn();
    const hub = createEventHub(onActiveChange);
    const offStatus = hub.add('status:changed', () => {});
    const offCourses = hub.add('courses:changed', () => {});
    offStatus();
    offStatus(); // a second call must not count twice
    expect(onActiveChange.mock.calls).toEqual([[true]]);
    offCourses();
    expect(onActiveChange.mock.calls).toEqual([[true], [false]]);
  });

  it('delivers known events, ignores unknown ones, and still signals on an odd payload', () => {
    const hub = createEventHub(() => {});
    const listener = vi.fn();
    hub.add('courses:changed', listener);
    hub.deliver('courses:changed', { connectionId: 'moodle-main' });
    hub.deliver('courses:changed', 'not an object');
    hub.deliver('no-such-event', {});
    expect(listener.mock.calls).toEqual([[{ connectionId: 'moodle-main' }], [{}]]);
  });

  it('tells every listener to refetch after a gap in the connection', () => {
    const hub = createEventHub(() => {});
    const status = vi.fn();
    const settings = vi.fn();
    hub.add('status:changed', status);
    hub.add('settings:changed', settings);
    hub.deliverToAll();
    expect(status).toHaveBeenCalledWith({});
    expect(settings).toHaveBeenCalledWith({});
  });
});
