// The automation jobs of one server process: the sweep and the daily digest on timers, and the outbox dispatcher and
// senders whenever there is work. Tests drive it by hand with a ManualClock: `sweep()`, `digest()`, `drain()` and
// `tick()` (sweep and drain), never waiting on timers.

import type { AppContext } from '../app/context.ts';
import type { Clock } from '../domain/clock.ts';
import type { RetryPolicy } from '../domain/retry.ts';
import { releaseLeases } from '../store/webhooks.ts';
import { Coalescer } from './coalesce.ts';
import { DailyDigest, type DigestReport } from './digest.ts';
import { OutboxDispatcher } from './dispatcher.ts';
import { openAlertsGauge, timed } from './job-metrics.ts';
import { Mailer } from './mailer.ts';
import { Sweep, type SweepReport } from './sweep.ts';
import { WebhookSender } from './webhook-sender.ts';

/**
 * How long a poke waits for more commits to dispatch with it: notices go out a moment later, and a
 * busy server dispatches its events in batches rather than one transaction per event.
 */
const COALESCE_MS = 50;

/** Sends that finish within this of each other refill their slots with one claim. */
const REFILL_MS = 2;

export interface AutomationOptions {
  /** The clock of alerts, schedules and retries; the app's clock unless given. */
  clock?: Clock;
  /** Real time for `webhook-timestamp` (receivers compare it with their own clock). */
  wallClock?: Clock;
  retry?: RetryPolicy;
  /** How often the sweep runs (ms). */
  sweepEveryMs?: number;
  /** How often to look for daily digests that are due (ms). */
  digestEveryMs?: number;
  /** How often to look for work nobody poked about: other processes' events, retries coming due (ms). */
  pollEveryMs?: number;
  webhookTimeoutMs?: number;
  webhookConcurrencyPerEndpoint?: number;
  random?: () => number;
  onError?: (err: unknown, job: string) => void;
}

export class Automation {
  readonly dispatcher: OutboxDispatcher;
  readonly webhooks: WebhookSender;
  readonly mailer: Mailer;
  readonly sweeper: Sweep;
  readonly digests: DailyDigest;
  #timers: NodeJS.Timeout[] = [];
  #running = false;
  readonly #work = new Coalescer(() => this.#workAll(), COALESCE_MS);
  /**
   * A send that finished frees a slot of its endpoint: claim the next delivery at once rather than
   * with the next poke, or one endpoint gets at most its few slots per poke (40 deliveries a second).
   */
  readonly #refill = new Coalescer(() => this.#step('webhooks', () => this.webhooks.pump()), REFILL_MS);
  #sweeping: Promise<unknown> | null = null;
  #digesting: Promise<unknown> | null = null;

  constructor(
    private readonly app: AppContext,
    private readonly opts: AutomationOptions = {},
  ) {
    const clock = opts.clock ?? app.clock;
    this.dispatcher = new OutboxDispatcher(app, { clock });
    this.sweeper = new Sweep(app, { clock });
    this.digests = new DailyDigest(app, { clock });
    this.mailer = new Mailer(app, {
      clock,
      ...(opts.retry ? { retry: opts.retry } : {}),
      ...(opts.random ? { random: opts.random } : {}),
    });
    this.webhooks = new WebhookSender(
      app,
      {
        clock,
        ...(opts.wallClock ? { wallClock: opts.wallClock } : {}),
        ...(opts.retry ? { retry: opts.retry } : {}),
        ...(opts.random ? { random: opts.random } : {}),
        ...(opts.webhookTimeoutMs ? { timeoutMs: opts.webhookTimeoutMs } : {}),
        ...(opts.webhookConcurrencyPerEndpoint ? { perEndpoint: opts.webhookConcurrencyPerEndpoint } : {}),
        onError: (err) => this.#failed(err, 'webhooks'),
      },
      () => {
        if (this.#running) this.#refill.poke();
      },
    );
  }

  #failed(err: unknown, job: string): void {
    this.opts.onError?.(err, job);
  }

  /**
   * Runs the jobs on timers until `stop()`. On SQLite this process is the only one, so sends a
   * crashed predecessor had claimed are free again at once (on PostgreSQL their leases run out).
   */
  async start(): Promise<void> {
    if (this.app.db.dialect === 'sqlite') await releaseLeases(this.app.db.kysely);
    this.#running = true;
    this.#timers.push(setInterval(() => this.poke(), this.opts.pollEveryMs ?? 1000));
    const sweepEvery = this.opts.sweepEveryMs ?? 60_000;
    this.#timers.push(setInterval(() => void this.#backgroundSweep(), sweepEvery));
    setTimeout(() => void this.#backgroundSweep(), 1000).unref();
    this.#timers.push(setInterval(() => void this.#backgroundDigest(), this.opts.digestEveryMs ?? 60_000));
    this.poke();
  }

  async stop(): Promise<void> {
    this.#running = false;
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    await this.#sweeping;
    await this.#digesting;
    await this.#work.stop();
    await this.#refill.stop();
    await this.webhooks.idle();
    this.mailer.close();
  }

  /** Something committed: dispatch and send in a moment, with whatever else commits meanwhile (tests call drain()). */
  poke(): void {
    if (this.#running) this.#work.poke();
  }

  async #workAll(): Promise<void> {
    await this.#step('dispatcher', async () => {
      while ((await this.dispatcher.dispatchOnce()) > 0) {
        // keep going until the outbox is empty
      }
    });
    await this.#step('webhooks', () => this.webhooks.pump());
    await this.#step('mailer', () => this.mailer.sendDue());
  }

  async #step(job: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await timed(job, work);
    } catch (err) {
      this.#failed(err, job);
    }
  }

  async #backgroundSweep(): Promise<void> {
    if (!this.#running || this.#sweeping) return;
    this.#sweeping = this.#step('sweep', async () => {
      const report = await this.#sweepOnce();
      if (report.raised) this.poke();
    });
    await this.#sweeping;
    this.#sweeping = null;
  }

  async #backgroundDigest(): Promise<void> {
    if (!this.#running || this.#digesting) return;
    this.#digesting = this.#step('digest', async () => {
      if ((await this.digests.run()).sent) this.poke();
    });
    await this.#digesting;
    this.#digesting = null;
  }

  /** Makes the daily digests that are due now (the mailer sends them: `drain()`). */
  digest(): Promise<DigestReport> {
    return timed('digest', () => this.digests.run());
  }

  /** Runs the sweep once, now. */
  sweep(): Promise<SweepReport> {
    return timed('sweep', () => this.#sweepOnce());
  }

  async #sweepOnce(): Promise<SweepReport> {
    const report = await this.sweeper.run();
    // The process that swept knows the counts; another one keeps what it last saw.
    if (report.open) for (const [kind, n] of Object.entries(report.open)) openAlertsGauge.set({ kind }, n);
    return report;
  }

  /**
   * Does all the work that is due now and waits for it: dispatches the whole outbox, sends every
   * webhook delivery and e-mail that is due (and the ones that become sendable as earlier ones
   * of the same order go out). Retries scheduled later stay pending.
   */
  async drain(): Promise<void> {
    for (let round = 0; round < 10_000; round++) {
      while ((await this.dispatcher.dispatchOnce()) > 0) {
        // keep going until the outbox is empty
      }
      const started = await this.webhooks.pump();
      const mailed = await this.mailer.sendDue();
      if (started === 0 && mailed === 0 && this.webhooks.inFlight === 0) return;
      await this.webhooks.settled();
    }
    throw new Error('automation did not settle');
  }

  /** The sweep, then everything it and earlier changes set in motion. */
  async tick(): Promise<SweepReport> {
    const report = await this.sweep();
    await this.drain();
    return report;
  }
}
