// The live feed: follows the event log and hands each new event to the connected screens.
// Events commit in sequence order (the chain head lock serialises them), so "everything after
// the last seq seen" never misses one. A local write pokes the feed (reads are coalesced over a few ms); on PostgreSQL the
// poke reaches every server process through LISTEN/NOTIFY; a slow timer is the safety net.
// It follows the in-app notifications the same way (they commit in id order, see insertNotifications), so a
// user's bell rings on every server they are connected to.
import type pg from 'pg';
import type { Db } from '../store/db.ts';
import { chainHead, eventsAfter, type FeedEvent } from '../store/events.ts';
import { type FeedNotice, newestNotificationId, noticesAfter } from '../store/notifications.ts';
import { Coalescer } from './coalesce.ts';

export type FeedListener = (events: FeedEvent[]) => void;
export type NoticeListener = (notices: FeedNotice[]) => void;

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
  #lastNoticeId = 0;
  #listeners = new Set<FeedListener>();
  #noticeListeners = new Set<NoticeListener>();
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
    this.#lastNoticeId = await newestNotificationId(this.db.kysely);
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

  /** New notifications, everyone's: a listener passes on only those meant for its reader. */
  subscribeNotices(listener: NoticeListener): () => void {
    this.#noticeListeners.add(listener);
    return () => this.#noticeListeners.delete(listener);
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
        if (events.length === 0) break;
        this.#lastSeq = events[events.length - 1]!.seq;
        for (const listener of this.#listeners) listener(events);
        if (events.length < 1000) break;
      }
      // Nobody connected to hear them (a server without screens): skip them rather than read them.
      if (this.#noticeListeners.size === 0) {
        this.#lastNoticeId = Math.max(this.#lastNoticeId, await newestNotificationId(this.db.kysely));
        return;
      }
      for (;;) {
        const notices = await noticesAfter(this.db.kysely, this.#lastNoticeId);
        if (notices.length === 0) return;
        this.#lastNoticeId = notices[notices.length - 1]!.id;
        for (const listener of this.#noticeListeners) listener(notices);
        if (notices.length < 1000) return;
      }
    } catch (err) {
      this.opts.onError?.(err);
    }
  }
}
