import type { Part, Schedule } from '../model';
import type { SchedulerClock } from './clock';
import type { PartRunHistory } from './due';

/** What a run reports back to the scheduler. A partial or held run is 'ok' here: retrying would not help. */
export type RunVerdict = 'ok' | 'failed';
export type RunTrigger = 'schedule' | 'manual';

/** One part of one connection: `moodle-main:upload`. */
export type ScheduleKey = string;

export function scheduleKey(connectionId: string, part: Part): ScheduleKey {
  return `${connectionId}:${part}`;
}

export interface DueRun {
  key: ScheduleKey;
  connectionId: string;
  part: Part;
  trigger: RunTrigger;
}

/** A part to schedule, with what is known of its past (from the runs table after a restart). */
export interface PartRegistration extends Partial<PartRunHistory> {
  connectionId: string;
  part: Part;
  schedule: Schedule;
  paused?: boolean;
}

export interface PartScheduleState extends PartRunHistory {
  key: ScheduleKey;
  connectionId: string;
  part: Part;
  schedule: Schedule;
  running: boolean;
  /** Paused on its own or because the whole scheduler is paused. */
  paused: boolean;
  /** Times this part came due (or was asked to run) while it was still running, and so was skipped. */
  skippedWhileRunning: number;
  next: Date | undefined;
}

export type SchedulerEvent =
  | { type: 'run-started'; key: ScheduleKey; trigger: RunTrigger; at: Date }
  | { type: 'run-finished'; key: ScheduleKey; trigger: RunTrigger; verdict: RunVerdict; at: Date; error?: unknown }
  | { type: 'run-skipped'; key: ScheduleKey; trigger: RunTrigger; reason: 'already-running'; at: Date };

export interface SchedulerOptions {
  /** The school's IANA time zone (Settings.timeZone); windows are read in it. */
  timeZone: string;
  /** Runs one part. A throw counts as 'failed'. */
  onDue: (key: ScheduleKey, run: DueRun) => Promise<RunVerdict>;
  clock?: SchedulerClock;
  onEvent?: (event: SchedulerEvent) => void;
  /**
   * The longest single timer (default 60 s). Timers do not count time the computer sleeps, and the
   * wall clock may be changed, so the scheduler looks at the clock at least this often.
   */
  maxTimerMs?: number;
  /** Start with every part paused (Settings.paused). */
  paused?: boolean;
}
