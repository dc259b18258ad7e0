import { readFileSync } from 'node:fs';

/**
 * Is a process on this computer alive, and which start of it is this: what the runs history (a run
 * left "running" by a killed process) and the write leases (a holder killed mid-upload) both ask.
 */

/** Whether a process with this pid exists (EPERM: it does, but belongs to someone else). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux: the process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat); else null. */
export function processStartOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}
