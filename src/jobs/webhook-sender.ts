// Sends webhook deliveries, signed per Standard Webhooks, with timeouts, a concurrency limit per endpoint, and retries.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { Webhook as Signer } from 'standardwebhooks';
import type { AppContext } from '../app/context.ts';
import { automationSettings } from '../app/settings.ts';
import { publicOnlyLookup } from '../app/webhook-address.ts';
import { type Clock, systemClock } from '../domain/clock.ts';
import { isPublicAddress } from '../domain/network.ts';
import { DEFAULT_RETRY, nextAttemptAt, type RetryPolicy } from '../domain/retry.ts';
import { claimDueDeliveries, type DueDelivery, listWebhooks, recordAttempt, type WebhookWithSecret } from '../store/webhooks.ts';

export interface WebhookSenderOptions {
  /** Schedules retries and leases (the app's clock). */
  clock: Clock;
  /** Stamps `webhook-timestamp`: receivers check it against their own clock, so it is always real time. */
  wallClock?: Clock;
  retry?: RetryPolicy;
  /** A receiver that has not answered by then counts as failed. */
  timeoutMs?: number;
  /** At most this many deliveries in flight to one endpoint: a slow receiver cannot take every slot. */
  perEndpoint?: number;
  maxInFlight?: number;
  random?: () => number;
  onError?: (err: unknown) => void;
}

/** A claimed delivery is someone's for its timeout plus this; a process that died frees it when that runs out. */
const LEASE_MARGIN_MS = 5_000;

export interface PostResult {
  statusCode: number | null;
  error: string | null;
}

/** POSTs a body and resolves with the status once the answer's head arrives (the body is not needed), or the error. */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  lookup: ReturnType<typeof publicOnlyLookup>,
): Promise<PostResult> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ statusCode: null, error: 'the URL is not valid' });
      return;
    }
    const client = target.protocol === 'https:' ? https : http;
    const req = client.request(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup,
      agent: false,
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      resolve({ statusCode: res.statusCode ?? null, error: null });
      res.destroy();
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ statusCode: null, error: err.code ? `${err.code}: ${err.message}` : err.message });
    });
    req.end(body);
  });
}

/** The refusal for a URL whose host is a literal non-public address (when private networks are not allowed), else null. */
function literalRefused(url: string, allowPrivate: boolean): PostResult | null {
  if (allowPrivate) return null;
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return { statusCode: null, error: 'the URL is not valid' };
  }
  return isIP(host) && !isPublicAddress(host)
    ? { statusCode: null, error: `EADDRNOTPUBLIC: ${host} is not a public address` }
    : null;
}

export class WebhookSender {
  #inFlight = new Map<string, number>();
  #sending = new Set<number>();
  #running = new Set<Promise<void>>();
  #pumping: Promise<void> = Promise.resolve();
  #lookup: ReturnType<typeof publicOnlyLookup>;
  #allowPrivate = false;

  constructor(
    private readonly app: AppContext,
    private readonly opts: WebhookSenderOptions,
    /** Called whenever a send finishes: a slot is free, and there may be a next delivery for that order now. */
    private readonly onSettled: () => void = () => {},
  ) {
    this.#lookup = publicOnlyLookup(() => this.#allowPrivate);
  }

  get inFlight(): number {
    return this.#sending.size;
  }

  /** Resolves when every send started so far has finished. */
  async idle(): Promise<void> {
    while (this.#running.size) await Promise.race(this.#running);
  }

  /** Resolves when at least one running send has finished (or at once when none runs). */
  async settled(): Promise<void> {
    if (this.#running.size) await Promise.race(this.#running);
  }

  /**
   * Claims what may go out now and starts sending it; returns how many sends it started. Pumps run
   * one after another, never side by side: each counts the free slots the one before left.
   */
  pump(): Promise<number> {
    const run = this.#pumping.then(() => this.#pumpOnce());
    this.#pumping = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #pumpOnce(): Promise<number> {
    const { app, opts } = this;
    const maxInFlight = opts.maxInFlight ?? 32;
    const perEndpoint = opts.perEndpoint ?? 4;
    const timeoutMs = opts.timeoutMs ?? 10_000;
    this.#allowPrivate = (await automationSettings(app)).webhooks.allowPrivateNetworks;
    const hooks = new Map((await listWebhooks(app.db.kysely, { activeOnly: true })).map((h) => [h.id, h]));
    let started = 0;
    // Claiming again after one endpoint filled its slots lets the others' deliveries through.
    for (let round = 0; round < 4; round++) {
      const free = maxInFlight - this.#sending.size;
      if (free <= 0 || hooks.size === 0) break;
      const capacity = new Map([...hooks.keys()].map((id) => [id, perEndpoint - (this.#inFlight.get(id) ?? 0)]));
      const now = opts.clock.now();
      const due = await app.db.kysely.transaction().execute((tx) =>
        claimDueDeliveries(tx, app.db.dialect, {
          now: now.toISOString(),
          leaseUntil: new Date(now.getTime() + timeoutMs + LEASE_MARGIN_MS).toISOString(),
          limit: free,
          capacity,
        }),
      );
      let fresh = 0;
      for (const d of due) {
        const hook = hooks.get(d.webhookId);
        // Already being sent here (its lease ran out on a clock that jumped): do not send it twice.
        if (!hook || this.#sending.has(d.id)) continue;
        this.#start(d, hook, timeoutMs);
        fresh++;
      }
      started += fresh;
      if (fresh === 0 || due.length < free) break;
    }
    return started;
  }

  #start(d: DueDelivery, hook: WebhookWithSecret, timeoutMs: number): void {
    this.#sending.add(d.id);
    this.#inFlight.set(hook.id, (this.#inFlight.get(hook.id) ?? 0) + 1);
    const run = this.#send(d, hook, timeoutMs)
      .catch((err) => this.opts.onError?.(err))
      .finally(() => {
        this.#sending.delete(d.id);
        this.#inFlight.set(hook.id, (this.#inFlight.get(hook.id) ?? 1) - 1);
        this.#running.delete(run);
        this.onSettled();
      });
    this.#running.add(run);
  }

  async #send(d: DueDelivery, hook: WebhookWithSecret, timeoutMs: number): Promise<void> {
    const { opts } = this;
    const at = opts.clock.now();
    const stamp = (opts.wallClock ?? systemClock).now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Floorboard-Webhooks/1.0',
      'webhook-id': d.messageId,
      'webhook-timestamp': String(Math.floor(stamp.getTime() / 1000)),
      'webhook-signature': new Signer(hook.secret).sign(d.messageId, stamp, d.payload),
    };
    const started = performance.now();
    // A literal address is never looked up, so the lookup's check does not see it: check it here.
    const result =
      literalRefused(hook.url, this.#allowPrivate) ?? (await postWebhook(hook.url, d.payload, headers, timeoutMs, this.#lookup));
    const durationMs = Math.round(performance.now() - started);
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const done = opts.clock.now();
    const firstAttemptAt = d.firstAttemptAt ?? at.toISOString();
    const retryAt = ok
      ? null
      : nextAttemptAt(
          opts.retry ?? DEFAULT_RETRY,
          d.attempts + 1,
          new Date(firstAttemptAt),
          done,
          (opts.random ?? Math.random)(),
        );
    await recordAttempt(this.app.db.kysely, this.app.db.dialect, d.id, {
      at: at.toISOString(),
      firstAttemptAt,
      statusCode: result.statusCode,
      durationMs,
      error: ok ? null : (result.error ?? `answered ${result.statusCode}`),
      ok,
      retryAt: retryAt?.toISOString() ?? null,
    });
  }
}
