/**
 * What the alerts keep in SQLite (migration 023): the transition memory, when the last digest went
 * out, the outbox of alerts decided and not yet delivered, and the delivery log. Kept here, not in
 * store/, because nothing but the alerts reads these tables.
 */
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { AlertKindSchema, type AlertKind } from '../model';
import { EMPTY_TRANSITION_MEMORY, type TransitionMemory } from './transitions';
import { AlertBodySchema, type AlertBody } from './alert-body';

const MemorySchema = z.object({
  problems: z.array(z.string()),
  held: z.array(z.string()),
  update: z.string().optional(),
  links: z.boolean().optional(),
  late: z.array(z.string()).optional(),
});

export interface OutboxEntry {
  id: number;
  body: AlertBody;
  createdAt: string;
}

export interface DeliveryLogEntry {
  at: string;
  kind: AlertKind;
  channel: 'email' | 'webhook';
  target: string;
  ok: boolean;
  error: string | null;
}

/** Deliveries older than this many entries are dropped: the log is for "did the last ones work". */
const LOG_KEEP = 500;

export class AlertStore {
  constructor(private readonly db: Database) {}

  memory(): TransitionMemory {
    const parsed = MemorySchema.safeParse(this.get('memory'));
    return parsed.success ? parsed.data : EMPTY_TRANSITION_MEMORY;
  }

  saveMemory(memory: TransitionMemory): void {
    this.set('memory', memory);
  }

  /** When the last digest was sent (or, the first time, when alerts started counting). */
  digestSince(): string | undefined {
    const value = this.get('digest-since');
    return typeof value === 'string' ? value : undefined;
  }

  setDigestSince(at: string): void {
    this.set('digest-since', at);
  }

  /** The update the desktop's updater downloaded (alerts:updateReady), waiting for a restart. */
  updateReady(): string | undefined {
    const value = this.get('update-ready');
    return typeof value === 'string' ? value : undefined;
  }

  setUpdateReady(version: string): void {
    this.set('update-ready', version);
  }

  /**
   * Reads the memory, decides and saves the new memory with the alerts to queue, in one IMMEDIATE
   * transaction: a crash between them neither loses nor repeats an alert, and two engines on one
   * data folder (the app and `classbridge serve`) do not both decide the same transition.
   */
  decide(fn: (memory: TransitionMemory) => { memory: TransitionMemory; bodies: AlertBody[] }): AlertBody[] {
    return this.db
      .transaction(() => {
        const { memory, bodies } = fn(this.memory());
        this.saveMemory(memory);
        for (const body of bodies) this.enqueue(body);
        return bodies;
      })
      .immediate();
  }

  /** Takes every queued alert out of the outbox for sending (one engine sends each). */
  claim(): OutboxEntry[] {
    return this.db
      .transaction(() => {
        const entries = this.outbox();
        this.db.prepare('DELETE FROM alert_outbox WHERE id <= ?').run(entries.at(-1)?.id ?? 0);
        return entries;
      })
      .immediate();
  }

  enqueue(body: AlertBody): void {
    this.db
      .prepare('INSERT INTO alert_outbox (kind, body, created_at) VALUES (?, ?, ?)')
      .run(body.kind, JSON.stringify(body), body.raisedAt);
  }

  outbox(): OutboxEntry[] {
    const rows = this.db.prepare('SELECT id, body, created_at FROM alert_outbox ORDER BY id').all() as {
      id: number;
      body: string;
      created_at: string;
    }[];
    return rows.flatMap((row) => {
      const body = AlertBodySchema.safeParse(JSON.parse(row.body));
      return body.success ? [{ id: row.id, body: body.data, createdAt: row.created_at }] : [];
    });
  }

  log(entry: DeliveryLogEntry): void {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO alert_log (at, kind, channel, target, ok, error) VALUES (?, ?, ?, ?, ?, ?)')
        .run(entry.at, entry.kind, entry.channel, entry.target, entry.ok ? 1 : 0, entry.error);
      this.db.prepare('DELETE FROM alert_log WHERE id <= (SELECT max(id) FROM alert_log) - ?').run(LOG_KEEP);
    })();
  }

  recent(limit = 20): DeliveryLogEntry[] {
    const rows = this.db
      .prepare('SELECT at, kind, channel, target, ok, error FROM alert_log ORDER BY id DESC LIMIT ?')
      .all(limit) as {
      at: string;
      kind: string;
      channel: 'email' | 'webhook';
      target: string;
      ok: number;
      error: string | null;
    }[];
    return rows.flatMap((r) => {
      const kind = AlertKindSchema.safeParse(r.kind);
      return kind.success ? [{ ...r, kind: kind.data, ok: r.ok === 1 }] : [];
    });
  }

  private get(key: string): unknown {
    const row = this.db.prepare('SELECT value FROM alert_state WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row ? (JSON.parse(row.value) as unknown) : undefined;
  }

  private set(key: string, value: unknown): void {
    this.db
      .prepare(
        'INSERT INTO alert_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      .run(key, JSON.stringify(value));
  }
}
