// The live feed: follows the event log and hands each new event to the connected screens.
// Events commit in sequence order (the chain head lock serialises them), so "everything after
// the last seq seen" never misses one. A local write pokes the feed at once; on PostgreSQL the
// poke reaches every server process through LISTEN/NOTIFY; a slow timer is the safety net.
import type pg from 'pg';
import type { Db } from '../store/db.ts';
import { chainHead, eventsAfter, type FeedEvent } from '../store/events.ts';

export type FeedListener = (events: FeedEvent[]) => void;

const CHANNEL = 'floorboard_events';

export interface LiveFeedOptions {
  /** How often to look for events when nobody pokes (ms). */
  pollMs?: number | undefined;
  onError?: (err: unknown) => void;
}

export class LiveFeed {
  #lastSeq = 0;
  #listeners = new Set<FeedListener>();
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #reading: Promise<void> | null = null;
  #again = false;
  #listenClient: pg.PoolClient | undefined;
  #notifyPending = false;

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
      this.#listenClient.on('notification', () => this.#read());
      await this.#listenClient.query(`listen ${CHANNEL}`);
    }
    const tick = () => {
      this.#read();
      if (this.#running) this.#timer = setTimeout(tick, this.opts.pollMs ?? 1000);
    };
    this.#timer = setTimeout(tick, this.opts.pollMs ?? 1000);
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#reading;
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
   * Called after this process committed a change: read now, and on PostgreSQL tell the other
   * processes too (at most one NOTIFY in flight, however many writes there were).
   */
  poke(): void {
    this.#read();
    if (this.db.pool && !this.#notifyPending && this.#running) {
      this.#notifyPending = true;
      this.db.pool
        .query(`notify ${CHANNEL}`)
        .catch((err) => this.opts.onError?.(err))
        .finally(() => {
          this.#notifyPending = false;
        });
    }
  }

  /** Reads new events; a poke during a read causes one more read, never two at once. */
  #read(): void {
    if (!this.#running) return;
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = (async () => {
      try {
        do {
          this.#again = false;
          for (;;) {
            const events = await eventsAfter(this.db.kysely, this.#lastSeq);
            if (events.length === 0) break;
            this.#lastSeq = events[events.length - 1]!.seq;
            for (const listener of this.#listeners) listener(events);
            if (events.length < 1000) break;
          }
        } while (this.#again && this.#running);
      } catch (err) {
        this.opts.onError?.(err);
      } finally {
        this.#reading = null;
      }
    })();
  }
}
