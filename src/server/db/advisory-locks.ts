/**
 * Every PostgreSQL advisory-lock key the panel takes, in one place, so no two uses can collide. Single keys
 * are whole-database locks; a class is combined with an id (`pg_advisory_xact_lock(class, id)`).
 */
export const ADVISORY_LOCKS = {
  /** Migrations and seeding at start: one instance at a time. */
  prepare: 7_301_001,
  /** Job runs (src/server/jobs): one instance runs a locked job at a time. */
  heartbeatJob: 7_301_020,
} as const;

export const ADVISORY_LOCK_CLASSES = {
  /** Pool imports of one NAS (class, nas id): two at once serialize. */
  poolSync: 7_301_010,
  /** Diagnostics through one NAS (class, nas id): one at a time per router. */
  diagnostic: 7_301_030,
} as const;
