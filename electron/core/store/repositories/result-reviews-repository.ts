import type { Database, Statement } from 'better-sqlite3';
import {
  ResultReviewDetailSchema,
  type ResultDecision,
  type ResultReviewDetail,
  type ResultReviewReason,
  type ResultReviewState,
} from '../../model';

/** One record of results delivery: an SMS person's result in one LMS course of one connection. */
export interface ResultRecordKey {
  connectionId: string;
  lmsCourseId: number;
  personSmsId: string;
}

/** What ClassBridge last delivered for a record, and the SMS's value when it did (migration 022). */
export interface LastDelivery {
  courseSmsId: string;
  /** The outcome code delivered, else the grade; null when the result had neither. */
  value: string | null;
  /** The SMS's own value (its outcome from the last import) at that delivery. */
  smsValue: string | null;
  deliveredAt: string;
}

/** A record waiting for (or decided by) a person, as stored. */
export interface StoredReview extends ResultRecordKey {
  courseSmsId: string;
  reason: ResultReviewReason;
  state: ResultReviewState;
  /** The result the review was computed from (results-repository contentHash). */
  contentHash: string;
  smsValue: string | null;
  deliveredValue: string | null;
  newValue: string | null;
  detail: ResultReviewDetail;
  createdAt: string;
  decidedAt: string | null;
}

export type NewReview = Omit<StoredReview, 'state' | 'createdAt' | 'decidedAt'>;

interface ReviewRow {
  connection_id: string;
  lms_course_id: number;
  person_sms_id: string;
  course_sms_id: string;
  reason: ResultReviewReason;
  state: ResultReviewState;
  content_hash: string;
  sms_value: string | null;
  delivered_value: string | null;
  new_value: string | null;
  detail: string;
  created_at: string;
  decided_at: string | null;
}

export interface ReviewFilter {
  connectionId?: string;
  lmsCourseId?: number;
  personSmsId?: string;
  reasons?: readonly ResultReviewReason[];
  states?: readonly ResultReviewState[];
}

const KEY = 'connection_id = ? AND lms_course_id = ? AND person_sms_id = ?';

/**
 * What results delivery remembers per record beyond the result itself: the last delivery (to tell a
 * person's edit in the SMS from ClassBridge's own value) and the review queue. Reads are by primary
 * key, so a delivery asks only about the results that changed; nothing is written for a result that
 * did not.
 */
export class ResultReviewsRepository {
  /** Prepared on first use (a store opened at an older schema version has no such tables). */
  private statements: { lastDelivery: Statement; review: Statement } | undefined;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  /** Asked once per changed result in a delivery: compiled once, not per call. */
  private get byKey() {
    return (this.statements ??= {
      lastDelivery: this.db.prepare(
        `SELECT course_sms_id, value, sms_value, delivered_at FROM result_deliveries WHERE ${KEY}`,
      ),
      review: this.db.prepare(`SELECT * FROM result_reviews WHERE ${KEY}`),
    });
  }

  lastDelivery(key: ResultRecordKey): LastDelivery | undefined {
    const row = this.byKey.lastDelivery.get(key.connectionId, key.lmsCourseId, key.personSmsId) as
      { course_sms_id: string; value: string | null; sms_value: string | null; delivered_at: string } | undefined;
    return row
      ? { courseSmsId: row.course_sms_id, value: row.value, smsValue: row.sms_value, deliveredAt: row.delivered_at }
      : undefined;
  }

  review(key: ResultRecordKey): StoredReview | undefined {
    const row = this.byKey.review.get(key.connectionId, key.lmsCourseId, key.personSmsId) as ReviewRow | undefined;
    return row ? toReview(row) : undefined;
  }

  /** Queues a record for a person (pending), replacing what was queued for an older result. */
  queue(review: NewReview): void {
    this.db
      .prepare(
        `INSERT INTO result_reviews (connection_id, lms_course_id, person_sms_id, course_sms_id, reason, state, content_hash,
           sms_value, delivered_value, new_value, detail, created_at, decided_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (connection_id, lms_course_id, person_sms_id) DO UPDATE SET
           course_sms_id = excluded.course_sms_id, reason = excluded.reason, state = 'pending',
           content_hash = excluded.content_hash, sms_value = excluded.sms_value,
           delivered_value = excluded.delivered_value, new_value = excluded.new_value, detail = excluded.detail,
           created_at = excluded.created_at, decided_at = NULL`,
      )
      .run(
        review.connectionId,
        review.lmsCourseId,
        review.personSmsId,
        review.courseSmsId,
        review.reason,
        review.contentHash,
        review.smsValue,
        review.deliveredValue,
        review.newValue,
        JSON.stringify(review.detail),
        this.now().toISOString(),
      );
  }

  /**
   * Records what reached the SMS (after the writer succeeded) and closes the records' reviews, in one
   * transaction. `value` is what ClassBridge wrote (or, for a conflict kept for the SMS, the SMS's own).
   */
  recordDelivered(
    rows: readonly (ResultRecordKey & { courseSmsId: string; value: string | null; smsValue: string | null })[],
  ): void {
    if (rows.length === 0) return;
    const upsert = this.db.prepare(
      `INSERT INTO result_deliveries (connection_id, lms_course_id, person_sms_id, course_sms_id, value, sms_value, delivered_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (connection_id, lms_course_id, person_sms_id) DO UPDATE SET
         course_sms_id = excluded.course_sms_id, value = excluded.value, sms_value = excluded.sms_value,
         delivered_at = excluded.delivered_at`,
    );
    const close = this.db.prepare(`DELETE FROM result_reviews WHERE ${KEY}`);
    const at = this.now().toISOString();
    this.db.transaction(() => {
      for (const r of rows) {
        upsert.run(r.connectionId, r.lmsCourseId, r.personSmsId, r.courseSmsId, r.value, r.smsValue, at);
        close.run(r.connectionId, r.lmsCourseId, r.personSmsId);
      }
    })();
  }

  list(filter: ReviewFilter = {}): StoredReview[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM result_reviews
         WHERE (@connectionId IS NULL OR connection_id = @connectionId)
           AND (@lmsCourseId IS NULL OR lms_course_id = @lmsCourseId)
           AND (@personSmsId IS NULL OR person_sms_id = @personSmsId)
           AND (@reasons IS NULL OR reason IN (SELECT value FROM json_each(@reasons)))
           AND (@states IS NULL OR state IN (SELECT value FROM json_each(@states)))
         ORDER BY connection_id, lms_course_id, person_sms_id`,
      )
      .all({
        connectionId: filter.connectionId ?? null,
        lmsCourseId: filter.lmsCourseId ?? null,
        personSmsId: filter.personSmsId ?? null,
        reasons: filter.reasons ? JSON.stringify(filter.reasons) : null,
        states: filter.states ? JSON.stringify(filter.states) : null,
      }) as ReviewRow[];
    return rows.map(toReview);
  }

  /**
   * The admin's decision on some reviews: 'accept' (written on the next delivery), 'hold' (not written
   * until the LMS result changes again) or 'keep-sms' (a conflict settled for the SMS's value: recorded as
   * delivered without writing). Returns the reviews it changed; 'keep-sms' changes conflicts only.
   */
  decide(keys: readonly ResultRecordKey[], decision: ResultDecision): StoredReview[] {
    const state: ResultReviewState = decision === 'accept' ? 'accepted' : decision === 'hold' ? 'held' : 'kept';
    const update = this.db.prepare(
      `UPDATE result_reviews SET state = ?, decided_at = ? WHERE ${KEY} AND state <> ? ${
        decision === 'keep-sms' ? "AND reason = 'conflict'" : ''
      } RETURNING *`,
    );
    const at = this.now().toISOString();
    const changed: StoredReview[] = [];
    this.db.transaction(() => {
      for (const k of keys) {
        const row = update.get(state, at, k.connectionId, k.lmsCourseId, k.personSmsId, state) as ReviewRow | undefined;
        if (row) changed.push(toReview(row));
      }
    })();
    return changed;
  }
}

function toReview(r: ReviewRow): StoredReview {
  return {
    connectionId: r.connection_id,
    lmsCourseId: r.lms_course_id,
    personSmsId: r.person_sms_id,
    courseSmsId: r.course_sms_id,
    reason: r.reason,
    state: r.state,
    contentHash: r.content_hash,
    smsValue: r.sms_value,
    deliveredValue: r.delivered_value,
    newValue: r.new_value,
    detail: ResultReviewDetailSchema.parse(JSON.parse(r.detail)),
    createdAt: r.created_at,
    decidedAt: r.decided_at,
  };
}
