// Due dates as a calendar feed: a user makes a secret feed URL, and any calendar app subscribes to it (iCalendar).
import { randomBytes, randomUUID } from 'node:crypto';
import { icsCalendar } from '../domain/exports/ical.ts';
import { findUserById } from '../store/access.ts';
import {
  type CalendarFeed,
  feedForTokenHash,
  feedsOf,
  findFeed,
  insertFeed,
  openOrdersDue,
  revokeFeed,
} from '../store/calendar-feeds.ts';
import { listWorkflows } from '../store/workflows.ts';
import type { Actor, AppContext } from './context.ts';
import { loadWorkflow } from './load.ts';
import { forbidden, notFound } from './problem.ts';
import { etasOf } from './reports/forecasts.ts';
import { hashSecret } from './secrets.ts';
import { automationSettings } from './settings.ts';

const FEED_PREFIX = 'fbcal_';
export const FEED_PATH = '/api/v1/calendar';

export interface FeedView {
  id: string;
  workflow: string | null;
  mine: boolean;
  createdAt: string;
}

export interface IssuedFeed extends FeedView {
  /** The address to subscribe to; shown once (only its hash is kept). */
  url: string;
  webcalUrl: string;
}

function view(f: CalendarFeed): FeedView {
  return { id: f.id, workflow: f.workflow, mine: f.mineOnly, createdAt: f.createdAt };
}

function userOf(actor: Actor): string {
  if (!actor.userId) throw forbidden('Calendar feeds belong to a user: sign in or use a user token');
  return actor.userId;
}

/** A new feed of the user's due dates (all open orders, or one workflow; with `mine`, only those whose stage the user's role owns). */
export async function createFeed(
  app: AppContext,
  actor: Actor,
  input: { workflow?: string | undefined; mine?: boolean | undefined },
): Promise<IssuedFeed> {
  const userId = userOf(actor);
  if (input.workflow) await loadWorkflow(app.db.kysely, input.workflow);
  const token = FEED_PREFIX + randomBytes(32).toString('base64url');
  const feed: CalendarFeed = {
    id: randomUUID(),
    userId,
    workflow: input.workflow ?? null,
    mineOnly: input.mine ?? false,
    createdAt: app.clock.now().toISOString(),
    revokedAt: null,
  };
  await insertFeed(app.db.kysely, feed, hashSecret(token));
  const base = (await automationSettings(app)).publicUrl;
  const url = `${base}${FEED_PATH}/${token}.ics`;
  return { ...view(feed), url, webcalUrl: url.replace(/^https?:/, 'webcal:') };
}

export async function listFeeds(app: AppContext, actor: Actor): Promise<FeedView[]> {
  return (await feedsOf(app.db.kysely, userOf(actor))).map(view);
}

export async function deleteFeed(app: AppContext, actor: Actor, id: string): Promise<void> {
  const feed = await findFeed(app.db.kysely, id);
  if (!feed || feed.revokedAt || (feed.userId !== actor.userId && actor.role !== 'admin')) throw notFound('Calendar feed');
  await revokeFeed(app.db.kysely, id, app.clock.now().toISOString());
}

/** The feed's iCalendar text, or null when the token names no live feed (or its user is disabled). */
export async function feedCalendar(app: AppContext, token: string): Promise<string | null> {
  if (!token.startsWith(FEED_PREFIX)) return null;
  const db = app.db.kysely;
  const feed = await feedForTokenHash(db, hashSecret(token));
  if (!feed) return null;
  const user = await findUserById(db, feed.userId);
  if (!user || user.disabledAt) return null;
  const workflows = new Map((await listWorkflows(db)).map((w) => [w.key, w]));
  const stages = feed.mineOnly
    ? [...workflows.values()].flatMap((wf) =>
        wf.stages.filter((s) => s.ownerRole === user.role).map((s) => ({ workflow: wf.key, stage: s.key })),
      )
    : null;
  const orders = await openOrdersDue(db, feed.workflow, stages);
  const etas = await etasOf(
    app,
    workflows,
    orders.map((o) => ({ ...o, state: o.state as 'active' | 'on_hold' })),
  );
  const settings = await automationSettings(app);
  const now = app.clock.now();
  return icsCalendar({
    name: feed.workflow ? `Floorboard: ${workflows.get(feed.workflow)?.name ?? feed.workflow} due dates` : 'Floorboard due dates',
    productId: '-//Floorboard//Due dates//EN',
    now,
    events: orders.map((o) => {
      const wf = workflows.get(o.workflow);
      const stage = wf?.stages.find((s) => s.key === o.stage);
      const eta = etas.get(o.id);
      return {
        uid: `${o.id}@floorboard`,
        date: o.dueDate,
        summary: `${o.number} due: ${o.title} (${o.customerName})`,
        description: [
          `Stage: ${stage?.label ?? o.stage}${o.state === 'on_hold' ? ' (on hold)' : ''}`,
          `Priority: ${o.priority}`,
          `Customer: ${o.customerName}`,
          ...(eta ? [`Expected: done by ${eta.p50} (85% sure by ${eta.p85})`] : []),
        ].join('\n'),
        url: `${settings.publicUrl}/orders/${encodeURIComponent(o.number)}`,
        sequence: o.version,
        lastModified: new Date(o.updatedAt),
      };
    }),
  });
}
