import type { SmsWarning } from '../../contract';

/** Collects warnings for one import, keeping memory bounded on a bad 20,000-student roll. */
export class WarningSink {
  private readonly kept: SmsWarning[] = [];
  private dropped = 0;

  constructor(private readonly limit = 200) {}

  add(warning: SmsWarning): void {
    if (this.kept.length < this.limit) this.kept.push(warning);
    else this.dropped++;
  }

  list(): SmsWarning[] {
    return this.dropped === 0
      ? [...this.kept]
      : [...this.kept, { message: `${this.dropped} more warnings like these were not listed` }];
  }
}
