/** Injected infrastructure faults, consumed by the next matching requests. */
import type { SimFault } from './types';

interface PendingFault {
  fault: SimFault;
  function: string | undefined;
  remaining: number;
}

export class FaultQueue {
  private pending: PendingFault[] = [];

  add(fault: SimFault, when: { function?: string; times?: number } = {}): void {
    this.pending.push({ fault, function: when.function, remaining: when.times ?? 1 });
  }

  clear(): void {
    this.pending = [];
  }

  /** The first fault that matches this call, used up by one. */
  take(functionName: string): SimFault | undefined {
    const match = this.pending.find(
      (p) => p.remaining > 0 && (p.function === undefined || p.function === functionName),
    );
    if (!match) return undefined;
    match.remaining -= 1;
    this.pending = this.pending.filter((p) => p.remaining > 0);
    return match.fault;
  }
}

/** What a PHP fatal error looks like through the web server with display_errors on. */
export const PHP_FATAL_PAGE =
  '<br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in <b>/var/www/moodle/lib/dml/moodle_read_slave_trait.php</b> on line <b>293</b><br />\n';

/** A JSON answer cut off mid-way, as when PHP dies while writing or a proxy drops the tail. */
export const TRUNCATED_JSON = '[{"id":2,"shortname":"MATH101-2026S1","categoryid":2,"fullname":"Mathem';
