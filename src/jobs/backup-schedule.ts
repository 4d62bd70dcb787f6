// Scheduled backups of the embedded SQLite database: one every FLOORBOARD_BACKUP_EVERY_HOURS (24), each verified,
// the newest FLOORBOARD_BACKUP_KEEP (7) kept. The copy runs on the server's own connection in small steps, so
// requests go on meanwhile and the copy sees the server's commits as it goes instead of starting over.
import { type BackupReport, backupFileName, backupSqlite, newestBackup, pruneBackups } from '../app/backups.ts';
import type { AppContext } from '../app/context.ts';
import { timed } from './job-metrics.ts';

export interface BackupScheduleOptions {
  dir: string;
  keep: number;
  everyMs: number;
  onBackup: (report: BackupReport, pruned: string[]) => void;
  onError: (err: unknown) => void;
}

/** The longest a fresh install waits for its first backup. */
const FIRST_BACKUP_MAX_DELAY_MS = 60_000;

export class BackupSchedule {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(
    private readonly app: AppContext,
    private readonly opts: BackupScheduleOptions,
  ) {}

  start(): void {
    const newest = newestBackup(this.opts.dir);
    const now = this.app.clock.now().getTime();
    const due = newest ? newest.at.getTime() + this.opts.everyMs : now + Math.min(FIRST_BACKUP_MAX_DELAY_MS, this.opts.everyMs);
    this.#schedule(Math.max(0, due - now));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#backUp().finally(() => this.#schedule(this.opts.everyMs));
    }, delayMs);
    this.#timer.unref();
  }

  async #backUp(): Promise<void> {
    try {
      const file = `${this.opts.dir}/${backupFileName(this.app.clock.now())}`;
      const report = await timed('backup', () => backupSqlite(this.app.db, file, { oneStep: false }));
      // Older backups go only once a new one has been written and verified.
      this.opts.onBackup(report, pruneBackups(this.opts.dir, this.opts.keep));
    } catch (err) {
      this.opts.onError(err);
    }
  }
}
