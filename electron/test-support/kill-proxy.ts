import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The Moodle web-service functions that change the LMS. */
export const WRITE_FUNCTIONS = new Set([
  'core_user_create_users',
  'core_user_update_users',
  'core_course_create_courses',
  'core_course_update_courses',
  'core_course_duplicate_course',
  'enrol_manual_enrol_users',
  'enrol_manual_unenrol_users',
  'core_group_create_groups',
  'core_group_add_group_members',
  'core_group_delete_group_members',
]);

/**
 * Where, around the n-th write request, the client process is killed:
 * - `before-send`: the request reached the proxy and is never forwarded (the LMS never sees it);
 * - `after-apply`: the LMS ran and committed it, and the client dies before reading the answer
 *   (the ambiguous write);
 * - `after-answer`: the client got the answer and is killed `delayMs` later, typically while it
 *   journals the ids it learnt to SQLite or sends the next request.
 */
export type KillPhase = 'before-send' | 'after-apply' | 'after-answer';

export interface KillPoint {
  /** 1-based, counted over write requests only, from when the point is armed. */
  n: number;
  phase: KillPhase;
  delayMs: number;
}

export interface KillProxy {
  /** Point the LMS connection here: requests go on to the target (the simulator). */
  readonly url: string;
  /**
   * Kills the client (`kill()`, which must be synchronous: SIGKILL) at `point`, or never. Resets
   * the write counter; `fired` tells whether the point was reached.
   */
  arm(point: KillPoint | undefined, kill: () => void): void;
  readonly fired: boolean;
  /** Write requests seen since the last arm(). */
  readonly writes: number;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in the test process between a CLI child and the Moodle simulator, which kills the
 * child at an exact point of its n-th write request. The simulator has no request hook, and polling
 * its counters cannot tell "sent" from "applied"; in front of it, the proxy can.
 */
export async function startKillProxy(target: string): Promise<KillProxy> {
  const targetUrl = new URL(target);
  let armed: { point: KillPoint; kill: () => void } | undefined;
  let fired = false;
  let writes = 0;
  /** Bumped by arm(): a delayed kill left over from an earlier client must not fire on the next one. */
  let generation = 0;

  const fire = (kill: () => void, armedAt = generation) => {
    if (fired || armedAt !== generation) return;
    fired = true;
    kill();
  };

  const server = createServer((req, res) => {
    const fn = new URL(req.url ?? '/', 'http://proxy').searchParams.get('wsfunction') ?? '';
    const isWrite = WRITE_FUNCTIONS.has(fn);
    if (isWrite) writes += 1;
    const point = isWrite && armed && !fired && writes === armed.point.n ? armed.point : undefined;
    const kill = armed?.kill;
    const armedAt = generation;
    if (point && kill && point.phase === 'before-send') {
      fire(kill);
      req.socket.destroy();
      return;
    }
    // Once the point has fired, nothing more from the dying client reaches the LMS.
    if (fired) {
      req.socket.destroy();
      return;
    }
    forward(targetUrl, req, res, (status, headers, body) => {
      if (point && kill && point.phase === 'after-apply') {
        fire(kill, armedAt);
        res.socket?.destroy();
        return;
      }
      res.writeHead(status, headers);
      res.end(body);
      if (point && kill) setTimeout(() => fire(kill, armedAt), point.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arm(point, kill) {
      generation += 1;
      armed = point ? { point, kill } : undefined;
      fired = false;
      writes = 0;
    },
    get fired() {
      return fired;
    },
    get writes() {
      return writes;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends the request on to the target and hands over the whole answer (or destroys the client socket). */
function forward(
  target: URL,
  req: IncomingMessage,
  res: ServerResponse,
  answer: (status: number, headers: Record<string, string | string[]>, body: Buffer) => void,
): void {
  const upstream = request(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: target.host },
    },
    (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const headers: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(up.headers)) if (v !== undefined) headers[k] = v;
        answer(up.statusCode ?? 502, headers, Buffer.concat(chunks));
      });
      up.on('error', () => res.socket?.destroy());
    },
  );
  upstream.on('error', () => res.socket?.destroy());
  req.pipe(upstream);
}
