import type { Database } from 'better-sqlite3';
import type { Snapshot } from '../../model';

/**
 * The snapshot's parents and guardians (migration 020), written and read with the rest of the snapshot
 * by SnapshotRepository (inside its transaction), kept in tables of their own.
 */
export function replaceGuardians(db: Database, snapshot: Pick<Snapshot, 'guardians' | 'guardianLinks'>): void {
  db.exec('DELETE FROM snapshot_guardian_links; DELETE FROM snapshot_guardians;');
  const guardian = db.prepare(
    'INSERT INTO snapshot_guardians (sms_id, given_name, family_name, email, relationship) VALUES (?, ?, ?, ?, ?)',
  );
  for (const g of snapshot.guardians ?? [])
    guardian.run(g.smsId, g.givenName, g.familyName, g.email ?? null, g.relationship ?? null);
  const link = db.prepare(
    'INSERT OR IGNORE INTO snapshot_guardian_links (guardian_sms_id, child_sms_id, relationship) VALUES (?, ?, ?)',
  );
  for (const l of snapshot.guardianLinks ?? []) link.run(l.guardianSmsId, l.childSmsId, l.relationship ?? null);
}

/** The stored guardians and links; both absent when the snapshot has none (so it reads as it was written). */
export function readGuardians(db: Database): Pick<Snapshot, 'guardians' | 'guardianLinks'> {
  type G = {
    sms_id: string;
    given_name: string;
    family_name: string;
    email: string | null;
    relationship: string | null;
  };
  type L = { guardian_sms_id: string; child_sms_id: string; relationship: string | null };
  const guardians = db.prepare('SELECT * FROM snapshot_guardians ORDER BY sms_id').all() as G[];
  const links = db.prepare('SELECT * FROM snapshot_guardian_links ORDER BY guardian_sms_id, child_sms_id').all() as L[];
  if (guardians.length === 0 && links.length === 0) return {};
  return {
    guardians: guardians.map((r) => ({
      smsId: r.sms_id,
      givenName: r.given_name,
      familyName: r.family_name,
      ...(r.email !== null ? { email: r.email } : {}),
      ...(r.relationship !== null ? { relationship: r.relationship } : {}),
    })),
    guardianLinks: links.map((r) => ({
      guardianSmsId: r.guardian_sms_id,
      childSmsId: r.child_sms_id,
      ...(r.relationship !== null ? { relationship: r.relationship } : {}),
    })),
  };
}
