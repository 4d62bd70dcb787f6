// The live feed: follows the event log and hands each new event to the connected screens.
// Events commit in sequence order (the chain head lock serialises them), so "everything after
// the last seq seen" never misses one. A local write pokes the feed (reads are coalesced over a few ms); on PostgreSQL the
// poke reaches every server process through LISTEN/NOTIFY; a slow timer is the safety net.
import type pg from 'pg';
import type { Db } from '../store/db.ts';
import { chainHead, eventsAfter, type FeedEvent } from '../store/events.ts';
import { Coalescer } from './coalesce.ts';

export type FeedListener = (events: FeedEvent[]) => void;

const CHANNEL = 'floorboard_events';

export interface LiveFeedOptions {
  /** How often to look for events when nobody pokes (ms). */
  pollMs?: number | undefined;
  onError?: (err: unknown) => void;
}

/** How long a poke waits for more changes to read (and announce) with it: under load, one read covers many commits. */
const COALESCE_MS = 30;

export class LiveFeed {
  #lastSeq = 0;
  #listeners = new Set<FeedListener>();
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #listenClient: pg.PoolClient | undefined;
  readonly #reader = new Coalescer(() => this.#readNew(), COALESCE_MS);
  readonly #notifier = new Coalescer(() => this.#notify(), COALESCE_MS);

  constructor(
    private readonly db: Db,
    private readonly opts: LiveFeedOptions = {},
  ) {}

  get lastSeq(): number {
    return this.#lastSeq;
  }

  async start(): Promise<void> {
    this.#lastSeq = (await chainHead(this.db.kysely)).seq;
    this.#running = true;
    if (this.db.pool) {
      this.#listenClient = await this.db.pool.connect();
      this.#listenClient.on('notification', () => this.#reader.poke());
      await this.#listenClient.query(`listen ${CHANNEL}`);
    }
    const tick = () => {
      this.#reader.poke();
      if (this.#running) this.#timer = setTimeout(tick, this.opts.pollMs ?? 1000);
    };
    this.#timer = setTimeout(tick, this.opts.pollMs ?? 1000);
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await Promise.all([this.#reader.stop(), this.#notifier.stop()]);
    if (this.#listenClient) {
      await this.#listenClient.query(`unlisten ${CHANNEL}`).catch(() => undefined);
      this.#listenClient.release();
      this.#listenClient = undefined;
    }
  }

  subscribe(listener: FeedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Events that happened after `seq` (for a client reconnecting with Last-Event-ID). */
  since(seq: number): Promise<FeedEvent[]> {
    return eventsAfter(this.db.kysely, seq);
  }

  /**
   * Called after this process committed a change: read in a moment, and on PostgreSQL tell the
   * other processes too (one NOTIFY for however many writes there were meanwhile).
   */
  poke(): void {
    if (!this.#running) return;
    this.#reader.poke();
    if (this.db.pool) this.#notifier.poke();
  }

  async #notify(): Promise<void> {
    try {
      await this.db.pool?.query(`notify ${CHANNEL}`);
    } catch (err) {
      this.opts.onError?.(err);
    }
  }

  /** Reads the events after the last one seen and hands them on, a thousand at a time. */
  async #readNew(): Promise<void> {
    if (!this.#running) return;
    try {
      for (;;) {
        const events = await eventsAfter(this.db.kysely, this.#lastSeq);
        if (events.length === 0) return;
        this.#lastSeq = events[events.length - 1]!.seq;
        for (const listener of this.#listeners) listener(events);
        if (events.length < 1000) return;
      }
    } catch (err) {
      this.opts.onError?.(err);
    }
  }
}
