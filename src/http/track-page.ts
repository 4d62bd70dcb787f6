// The customer's tracking page at /track/{token}: server-rendered HTML from the customer view alone, with its own
// small stylesheet and script (live updates, approve, request changes). Nothing of the staff app is loaded.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../app/context.ts';
import { Problem } from '../app/problem.ts';
import { automationSettings } from '../app/settings.ts';
import {
  approveByCustomer,
  MAX_CHANGE_REQUEST,
  requestChangesByCustomer,
  type TrackingView,
  trackOrder,
} from '../app/tracking.ts';
import { mediumDay } from '../domain/date-format.ts';
import { utf8Text } from './body-text.ts';
import { type RequestLimiter, TRACKING_REPLIES_PER_MINUTE } from './security.ts';

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A template literal whose values are escaped unless they are already `Html`. */
class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}
type Part = string | number | Html | null | undefined | false | Part[];

function part(value: Part): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(part).join('');
  return value instanceof Html ? value.text : escapeHtml(String(value));
}

function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? part(values[i]!) : ''), ''));
}

/** Only an http(s) URL goes into an href or src; anything else is left out. */
function safeUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/** The accent colour only ever as #rrggbb (settings check it; this is the last line). */
function safeColour(colour: string): string {
  return /^#[0-9a-fA-F]{6}$/.test(colour) ? colour : '#2f5bea';
}

const ASSETS = new URL('./track-assets/', import.meta.url);

interface Asset {
  body: string;
  type: string;
  etag: string;
}

function asset(name: string, type: string): Asset {
  const body = readFileSync(new URL(name, ASSETS), 'utf8');
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
}

/** The page's policy: its own script and stylesheet, one inline style (the accent colour) by nonce, any https logo. */
function pageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' https: data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

interface Shop {
  name: string;
  logoUrl: string | null;
  accentColor: string;
}

function layout(shop: Shop, title: string, nonce: string, body: Html, opts: { live?: boolean } = {}): string {
  const logo = safeUrl(shop.logoUrl);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light">
<title>${title}</title>
<link rel="stylesheet" href="/track-assets/track.css">
<style nonce="${nonce}">:root{--accent:${safeColour(shop.accentColor)}}</style>
${opts.live ? html`<script src="/track-assets/track.js" defer></script>` : ''}
</head>
<body>
<header class="shop">
${logo ? html`<img class="shop-logo" src="${logo}" alt="" referrerpolicy="no-referrer">` : ''}
<span class="shop-name">${shop.name}</span>
</header>
${body}
</body>
</html>
`.text;
}

/**
 * The page for one order, from its customer view. `path` is the page's own address (the forms post to it, so
 * Approve and Request changes work without the script too); `said` is the answer to the last of those; `now`
 * decides which dates need their year.
 */
export function renderTrackingPage(
  view: TrackingView,
  nonce: string,
  path: string,
  now: Date,
  said: string | null = null,
): string {
  const { order, status, delivery, note, approval, steps } = view;
  const body = html`<main id="track" class="track state-${status.state}" data-tracking data-state="${status.state}">
<p class="order-number">Order <strong>${order.number}</strong></p>
<h1 class="order-title">${order.title}</h1>
<section class="status" aria-labelledby="status-label">
<p class="status-label" id="status-label" data-customer-status>${status.label}</p>
${delivery.text ? html`<p class="delivery" data-delivery>${delivery.text}</p>` : ''}
${delivery.promisedText ? html`<p class="promised${delivery.pastPromise ? ' past-promise' : ''}" data-promised${delivery.pastPromise ? html` data-past-promise` : ''}>${delivery.promisedText}</p>` : ''}
</section>
${
  note
    ? html`<section class="note note-${note.kind}" data-note="${note.kind}" role="status">
<p class="note-text">${note.text}</p>
<p class="note-action">${note.action}</p>
</section>`
    : ''
}
${said && !approval?.canRespond ? html`<p class="approval-result" role="status">${said}</p>` : ''}
${approval ? approvalSection(approval, path, said) : ''}
${
  steps.length
    ? html`<section class="progress" aria-labelledby="progress-title">
<h2 id="progress-title">Progress</h2>
<ol class="steps">
${steps.map(
  (s) => html`<li class="step step-${s.state}" data-step="${s.state}"${s.state === 'current' ? html` aria-current="step"` : ''}>
<span class="step-dot" aria-hidden="true"></span>
<span class="step-label">${s.label}</span>
${s.state === 'skipped' ? html`<span class="step-date">Skipped</span>` : s.reachedOn ? html`<time class="step-date" datetime="${s.reachedOn}">${mediumDay(s.reachedOn, view.dates, now)}</time>` : ''}
</li>
`,
)}
</ol>
</section>`
    : ''
}
<p class="live" data-live="off" aria-live="polite">This page updates by itself.</p>
</main>`;
  return layout(view.shop, `Order ${order.number} · ${view.shop.name}`, nonce, body, { live: true });
}

/** The proof file on the page: a picture shown as it is, a PDF as a link that downloads it. */
function proofFileHtml(file: NonNullable<NonNullable<TrackingView['approval']>['proofFile']>): Html {
  // The URL is this page's own (/api/v1/track/...): built by the server, never from what a user typed.
  if (file.type.startsWith('image/')) {
    return html`<figure class="proof-file" data-proof-file="${file.id}">
<img class="proof-image" src="${file.url}" alt="Your proof: ${file.name}">
<figcaption><a class="proof-link" href="${file.url}" download="${file.name}">Download ${file.name}</a></figcaption>
</figure>`;
  }
  return html`<p class="proof-file" data-proof-file="${file.id}"><a class="proof-link" href="${file.url}" download="${file.name}">Download your proof: ${file.name} (PDF, ${Math.max(1, Math.round(file.size / 1024))} KB)</a></p>`;
}

function approvalSection(approval: NonNullable<TrackingView['approval']>, path: string, said: string | null): Html {
  const proof = safeUrl(approval.proofUrl);
  return html`<section class="approval" data-approval aria-labelledby="approval-title">
<h2 id="approval-title">Your approval</h2>
${approval.proofFile ? proofFileHtml(approval.proofFile) : ''}
${
  proof
    ? html`<p><a class="proof-link" data-proof href="${proof}" target="_blank" rel="noopener noreferrer">Open your proof</a></p>`
    : approval.proofFile
      ? ''
      : html`<p class="muted">Your proof will appear here.</p>`
}
${
  approval.canRespond
    ? html`<form class="approve" data-form="approve" method="post" action="${path}/approve">
<button type="submit" class="button primary" data-action="approve">Approve</button>
</form>
<form class="changes" data-form="request-changes" method="post" action="${path}/request-changes">
<label for="changes-message">What should we change?</label>
<textarea id="changes-message" name="message" rows="3" maxlength="2000" required></textarea>
<button type="submit" class="button" data-action="request-changes">Request changes</button>
</form>
<p class="approval-result" data-result role="status" aria-live="polite">${said}</p>`
    : ''
}
</section>`;
}

/** The answer for a link that does not work: a plain page, no sign-in, nothing about any order. */
export function renderUnknownLink(shop: Shop, nonce: string): string {
  const body = html`<main id="track" class="track track-missing" data-tracking-missing>
<h1>This tracking link does not work</h1>
<p>It may have been replaced by a newer link, or switched off. Please use the link in the latest e-mail about your order, or ask us for a new one.</p>
</main>`;
  return layout(shop, `Tracking link not found · ${shop.name}`, nonce, body);
}

function sendPage(reply: FastifyReply, status: number, page: (nonce: string) => string): FastifyReply {
  const nonce = randomBytes(16).toString('base64');
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', pageCsp(nonce))
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex, nofollow')
    .send(page(nonce));
}

/** /track/{token} and the page's two files. */
export function installTrackingPage(server: FastifyInstance, app: AppContext, lookups: RequestLimiter): void {
  const files: Record<string, Asset> = {
    'track.css': asset('track.css', 'text/css; charset=utf-8'),
    'track.js': asset('track.js', 'text/javascript; charset=utf-8'),
  };
  const hidden = { config: { public: true }, schema: { hide: true } };

  server.get<{ Params: { file: string } }>('/track-assets/:file', hidden, async (request, reply) => {
    const file = files[request.params.file];
    if (!file) return reply.callNotFound();
    reply.header('cache-control', 'no-cache').header('etag', file.etag);
    if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
    return reply.type(file.type).send(file.body);
  });

  const missing = async (reply: FastifyReply) => {
    const s = await automationSettings(app);
    return sendPage(reply, 404, (nonce) => renderUnknownLink({ name: s.email.shopName, ...s.tracking }, nonce));
  };

  server.get<{ Params: { token: string }; Querystring: { thanks?: string } }>(
    '/track/:token',
    { ...hidden, onRequest: lookups },
    async (request, reply) => {
      let view: TrackingView;
      try {
        view = await trackOrder(app, request.params.token);
      } catch (err) {
        if (err instanceof Problem && err.code === 'not-found') return missing(reply);
        throw err;
      }
      const thanks = thankYou(request.query.thanks, view);
      return sendPage(reply, 200, (nonce) =>
        renderTrackingPage(view, nonce, pagePath(request.params.token), app.clock.now(), thanks),
      );
    },
  );
  for (const path of ['/track', '/track/']) server.get(path, hidden, async (_request, reply) => missing(reply));
  // Every other path under /track/ is the tracking page's, never the staff app's: a live link written with a
  // trailing slash leads to its page, anything else (a deeper path, a token too long for the router) is unknown.
  server.get<{ Params: { '*': string } }>('/track/*', { ...hidden, onRequest: lookups }, async (request, reply) => {
    const token = /^([^/]+)\/$/.exec(request.params['*'])?.[1];
    if (token === undefined) return missing(reply);
    const live = await trackOrder(app, token).then(
      () => true,
      (err: unknown) => {
        if (err instanceof Problem && err.code === 'not-found') return false;
        throw err;
      },
    );
    return live ? reply.code(308).header('location', pagePath(token)).send() : missing(reply);
  });

  // The two buttons as plain form posts, for a browser without the script: act, then show the page again.
  void server.register(async (forms) => {
    forms.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_request, body, done) => {
      try {
        done(null, Object.fromEntries(new URLSearchParams(utf8Text(body as Buffer))));
      } catch (err) {
        done(err as Error);
      }
    });
    const replies = { ...hidden, config: { public: true, rateLimit: { max: TRACKING_REPLIES_PER_MINUTE, timeWindow: 60_000 } } };
    const answer = async (token: string, reply: FastifyReply, kind: keyof typeof THANKS, act: () => Promise<unknown>) => {
      try {
        await act();
      } catch (err) {
        if (!(err instanceof Problem)) throw err;
        if (err.code === 'not-found') return missing(reply);
        const view = await trackOrder(app, token).catch(() => null);
        if (!view) return missing(reply);
        return sendPage(reply, err.status, (nonce) =>
          renderTrackingPage(view, nonce, pagePath(token), app.clock.now(), err.detail),
        );
      }
      return reply
        .code(303)
        .header('location', `${pagePath(token)}?thanks=${kind}`)
        .send();
    };
    forms.post<{ Params: { token: string } }>('/track/:token/approve', replies, async (request, reply) =>
      answer(request.params.token, reply, 'approved', () => approveByCustomer(app, request.params.token)),
    );
    forms.post<{ Params: { token: string }; Body: { message?: string } | null }>(
      '/track/:token/request-changes',
      replies,
      async (request, reply) =>
        answer(request.params.token, reply, 'changes', () =>
          requestChangesByCustomer(app, request.params.token, String(request.body?.message ?? '').slice(0, MAX_CHANGE_REQUEST)),
        ),
    );
  });
}

/** What the customer reads once their answer is in (the form, or the script, comes back with `?thanks=`). */
const THANKS = {
  approved: 'Thank you for approving your proof: we are getting on with your order.',
  changes: 'Thank you: we have your changes and will send a new proof.',
} as const;

/** The thank-you for an answer just given; none while the approval is still asked for (a stale or copied link). */
function thankYou(kind: string | undefined, view: TrackingView): string | null {
  if (kind !== 'approved' && kind !== 'changes') return null;
  return view.approval?.canRespond ? null : THANKS[kind];
}

function pagePath(token: string): string {
  return `/track/${encodeURIComponent(token)}`;
}
