// What the background jobs tell /metrics: how long each run takes, what the last sweep found, when the last backup
// was verified. Module-level, so the jobs record without knowing the server; /metrics registers them.
import { Gauge, Histogram } from 'prom-client';

export const jobDuration = new Histogram({
  name: 'floorboard_job_duration_seconds',
  help: 'How long one run of a background job took (sweep, dispatcher, webhooks, mailer, backup)',
  labelNames: ['job'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [],
});

export const openAlertsGauge = new Gauge({
  name: 'floorboard_open_alerts',
  help: 'Open orders with an alert at the last sweep, by kind (stalled, escalated, overdue, at-risk, due-soon)',
  labelNames: ['kind'],
  registers: [],
});

export const backupVerifiedAt = new Gauge({
  name: 'floorboard_backup_last_verified_timestamp_seconds',
  help: 'When the last scheduled backup was written and verified (Unix time; SQLite only)',
  registers: [],
});

/** Runs one job and records how long it took, whether it succeeded or not. */
export async function timed<T>(job: string, work: () => Promise<T>): Promise<T> {
  const end = jobDuration.startTimer({ job });
  try {
    return await work();
  } finally {
    end();
  }
}
