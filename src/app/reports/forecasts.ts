// Forecasts: each open order's expected completion (eta), and a quote for a new order; the model is cached per workflow.
import type { BusinessCalendar } from '../../domain/calendar.ts';
import { canonicalJson } from '../../domain/canonical-json.ts';
import { mediumDay } from '../../domain/date-format.ts';
import {
  buildForecastModel,
  canForecast,
  type EtaForecast,
  FORECAST_TRIALS,
  type ForecastModel,
  MIN_QUOTE_ORDERS,
  type QueueLoad,
  queueLoad,
  quoteHours,
  remainingHours,
  type StageSample,
} from '../../domain/metrics/forecast.ts';
import { HOUR_MS } from '../../domain/metrics/percentiles.ts';
import { seededRandom } from '../../domain/metrics/random.ts';
import { WorkingTime } from '../../domain/metrics/working-time.ts';
import type { Order } from '../../domain/order.ts';
import type { Workflow, WorkflowDefinition } from '../../domain/workflow.ts';
import type { Db } from '../../store/db.ts';
import { insightState, latestSeq } from '../../store/insight.ts';
import { openOrdersPerStage } from '../../store/orders.ts';
import { recentStageSamples } from '../../store/reports.ts';
import { listWorkflows } from '../../store/workflows.ts';
import type { AppContext } from '../context.ts';
import { workflowNamedIn } from '../load.ts';
import { workspaceDates } from '../settings.ts';
import { BACKGROUND_BATCH, bringFactsUpToDate, businessCalendar } from './insight.ts';

/** The history a forecast draws on: the latest finished visits of each stage within this many days. */
export const SAMPLE_DAYS = 180;
export const SAMPLES_PER_STAGE = 1000;
/** A model this young is used as it is; older, it is rebuilt in the background; much older (or none), before answering. */
const FRESH_MS = 5 * 60_000;
const STALE_MS = 60 * 60_000;
const SEED = 0x5eed;

/** An expected completion: local dates by which the order is done, 50% and 85% sure. */
export interface Eta {
  p50: string;
  p85: string;
}

interface Built {
  at: number;
  workflowVersion: number;
  calendar: BusinessCalendar;
  /** The calendar's working-time index, looked up once (etas are worked out for thousands of cards at a time). */
  time: WorkingTime;
  model: ForecastModel;
  /** The queue the model was built with: each stage's open orders against its usual load. */
  load: QueueLoad[];
  window: { fromMs: number; toMs: number };
}

interface Slot {
  built?: Built;
  building?: Promise<Built>;
  /** The moment (app clock) the build under way reads its history as of. */
  buildingAt?: number;
}

const cache = new WeakMap<Db, Map<string, Slot>>();

/** Forgets every cached model of a database (tests that rewrite history, a changed calendar). */
export function forgetForecasts(db: Db): void {
  cache.delete(db);
  warmed.delete(db);
}

async function build(app: AppContext, wf: Workflow, background: boolean): Promise<Built> {
  // As of the moment the history is read: a model that took a while is not younger than its data.
  const now = app.clock.now().getTime();
  await bringFactsUpToDate(app, background ? { batch: BACKGROUND_BATCH } : {});
  const calendar = await businessCalendar(app);
  const since = now - SAMPLE_DAYS * 86_400_000;
  const samples = new Map<string, StageSample[]>();
  for (const stage of wf.stages.slice(0, -1)) {
    samples.set(stage.key, await recentStageSamples(app.db.kysely, wf.key, stage.key, since, SAMPLES_PER_STAGE));
  }
  // The queue now, against the usual one: the etas and the quote are both stretched by it, so they agree.
  const load = queueLoad(wf, samples, await openOrdersPerStage(app.db.kysely, wf.key), { fromMs: since, toMs: now });
  return {
    at: now,
    workflowVersion: wf.version,
    calendar,
    time: WorkingTime.of(calendar),
    model: buildForecastModel(wf, samples, seededRandom(SEED), load),
    load,
    window: { fromMs: since, toMs: now },
  };
}

function slotOf(app: AppContext, workflow: string): Slot {
  let slots = cache.get(app.db);
  if (!slots) {
    slots = new Map();
    cache.set(app.db, slots);
  }
  let slot = slots.get(workflow);
  if (!slot) {
    slot = {};
    slots.set(workflow, slot);
  }
  return slot;
}

/**
 * Starts a build of the slot's model, or joins the one under way when it reads recent enough a
 * history; an older one is let finish and a new one follows it.
 */
function startBuild(app: AppContext, wf: Workflow, slot: Slot, background: boolean): Promise<Built> {
  const now = app.clock.now().getTime();
  const under = slot.building;
  if (under && (background || (now >= slot.buildingAt! && now - slot.buildingAt! < FRESH_MS))) return under;
  const next: Promise<Built> = (under ? under.catch(() => undefined) : Promise.resolve())
    .then(() => build(app, wf, background))
    .then((b) => {
      slot.built = b;
      return b;
    })
    .finally(() => {
      if (slot.building === next) slot.building = undefined;
    });
  slot.building = next;
  slot.buildingAt = now;
  return next;
}

function isFresh(
  built: Built | undefined,
  wf: Workflow,
  now: number,
  maxAge: number,
  calendar: BusinessCalendar,
): built is Built {
  return (
    !!built &&
    built.workflowVersion === wf.version &&
    now >= built.at &&
    now - built.at < maxAge &&
    // A model counted on another calendar (an admin changed the time zone or hours) is of no use at all.
    sameCalendar(built.calendar, calendar)
  );
}

function sameCalendar(a: BusinessCalendar, b: BusinessCalendar): boolean {
  return a === b || canonicalJson(a) === canonicalJson(b);
}

/** The model for a workflow: from the cache when young enough, the one in hand (refreshing behind) when a little old. */
async function modelOf(app: AppContext, wf: Workflow): Promise<Built> {
  const slot = slotOf(app, wf.key);
  const now = app.clock.now().getTime();
  const calendar = await businessCalendar(app);
  if (isFresh(slot.built, wf, now, FRESH_MS, calendar)) return slot.built;
  if (isFresh(slot.built, wf, now, STALE_MS, calendar)) {
    startBuild(app, wf, slot, true).catch(() => undefined);
    return slot.built;
  }
  return startBuild(app, wf, slot, false);
}

/** Starts (or joins) a rebuild nobody waits for, unless the model is young. */
function refreshInBackground(app: AppContext, wf: Workflow): void {
  const slot = slotOf(app, wf.key);
  if (slot.built && isFresh(slot.built, wf, app.clock.now().getTime(), FRESH_MS, slot.built.calendar)) return;
  startBuild(app, wf, slot, true).catch(() => undefined);
}

/**
 * What gives each open order of a workflow its eta: built once per call, cheap per order
 * (a look-up in the model's age buckets and one on the working-time index).
 */
export async function etaForecaster(
  app: AppContext,
  wf: Workflow,
): Promise<(order: Pick<Order, 'state' | 'stage' | 'stageEnteredAt'>) => Eta | null> {
  const built = await modelOf(app, wf);
  const now = app.clock.now().getTime();
  return (order) => presentEta(etaFrom(built, now, order));
}

/** The eta as the API shows it: local dates. Nobody can say when an order on hold will resume: it has none. */
export function presentEta(eta: EtaForecast | null | undefined): Eta | null {
  return eta ? { p50: eta.p50Date, p85: eta.p85Date } : null;
}

function etaFrom(built: Built, now: number, order: Pick<Order, 'state' | 'stage' | 'stageEnteredAt'>): EtaForecast | null {
  if (order.state !== 'active' || !canForecast(built.model, order.stage)) return null;
  const time = built.time;
  const age = time.msBetween(Date.parse(order.stageEnteredAt), now) / HOUR_MS;
  const r = remainingHours(built.model, order.stage, age);
  if (!r) return null;
  const p50 = time.addHours(now, r.p50);
  const p85 = time.addHours(now, r.p85);
  return { p50: new Date(p50), p85: new Date(p85), p50Date: time.localDate(p50), p85Date: time.localDate(p85) };
}

/**
 * Etas from the models already in memory, without touching the database: safe inside a
 * transaction. A missing or old model is rebuilt in the background (no eta until then).
 */
export function etaLookup(
  app: AppContext,
  /** The calendar in force: a model counted on another one gives no eta until it is rebuilt. */
  calendar?: BusinessCalendar,
): (order: Pick<Order, 'state' | 'stage' | 'stageEnteredAt'>, wf: WorkflowDefinition) => EtaForecast | null {
  const now = app.clock.now().getTime();
  const slots = cache.get(app.db);
  const checked = new Set<string>();
  // Flags and the card both ask for an order's eta: work it out once per order per request.
  const known = new WeakMap<object, EtaForecast | null>();
  return (order, wf) => {
    const hit = known.get(order);
    if (hit !== undefined) return hit;
    const slot = slots?.get(wf.key);
    // Flags are judged by workflow definitions; the stored workflow (with its version) says when a model is out of date.
    if (!checked.has(wf.key) && (wf as Partial<Workflow>).version !== undefined) {
      checked.add(wf.key);
      refreshInBackground(app, wf as Workflow);
    }
    const built = slot?.built && (!calendar || sameCalendar(slot.built.calendar, calendar)) ? slot.built : undefined;
    if (slot?.built && !built && !slot.building && (wf as Partial<Workflow>).version !== undefined)
      startBuild(app, wf as Workflow, slot, true).catch(() => undefined);
    const eta = built ? etaFrom(built, now, order) : null;
    known.set(order, eta);
    return eta;
  };
}

/** A catch-up longer than this is left to the background: an order page must not wait for a rebuild of the facts. */
const WARM_MAX_EVENTS = 5_000;

/**
 * Makes sure every workflow has a model before orders are shown (outside a transaction only).
 * Waits when there is none and the facts are nearly current; otherwise refreshes in the background.
 */
export async function warmForecasts(app: AppContext): Promise<void> {
  const now = app.clock.now().getTime();
  const calendar = await businessCalendar(app);
  const last = warmed.get(app.db);
  if (last !== undefined && now >= last.at && now - last.at < FRESH_MS && sameCalendar(last.calendar, calendar)) return;
  const workflows = await listWorkflows(app.db.kysely);
  const slots = cache.get(app.db);
  // A model on another calendar counts as none: its etas would be hours (or days) off.
  const missing = workflows.filter((wf) => {
    const built = slots?.get(wf.key)?.built;
    return !built || !sameCalendar(built.calendar, calendar);
  });
  if (missing.length > 0) {
    const [state, head] = await Promise.all([insightState(app.db.kysely), latestSeq(app.db.kysely)]);
    if (head - state.lastSeq > WARM_MAX_EVENTS) {
      for (const wf of missing) refreshInBackground(app, wf);
      return;
    }
    await Promise.all(missing.map((wf) => modelOf(app, wf)));
  }
  warmed.set(app.db, { at: now, calendar });
}

const warmed = new WeakMap<Db, { at: number; calendar: BusinessCalendar }>();

/** Etas of a set of orders across workflows (the order list): one forecaster per workflow. */
export async function etasOf(
  app: AppContext,
  workflows: Map<string, Workflow>,
  orders: Array<Pick<Order, 'id' | 'workflow' | 'state' | 'stage' | 'stageEnteredAt'>>,
): Promise<Map<string, Eta | null>> {
  const out = new Map<string, Eta | null>();
  const forecasters = new Map<string, Awaited<ReturnType<typeof etaForecaster>>>();
  for (const o of orders) {
    if (o.state !== 'active') {
      out.set(o.id, null);
      continue;
    }
    const wf = workflows.get(o.workflow);
    if (!wf) continue;
    let f = forecasters.get(wf.key);
    if (!f) {
      f = await etaForecaster(app, wf);
      forecasters.set(wf.key, f);
    }
    out.set(o.id, f(o));
  }
  return out;
}

export interface Quote {
  workflow: string;
  asOf: string;
  /** The day an order started now would start: today, or the next working day. */
  startDate: string;
  enoughHistory: boolean;
  p50: string | null;
  p85: string | null;
  p50WorkingHours: number | null;
  p85WorkingHours: number | null;
  basedOn: { orders: number; stageVisits: number; since: string; trials: number };
  queue: Array<QueueLoad & { label: string }>;
  message: string;
}

/**
 * When an order started now would be done: Monte Carlo over the workflow's recent history, with
 * stays in stages busier than usual stretched by how much busier they are. Says plainly when the
 * history is too thin to promise anything.
 */
export async function quoteFor(app: AppContext, workflowKey: string): Promise<Quote> {
  const wf = await workflowNamedIn(app.db.kysely, workflowKey);
  const built = await modelOf(app, wf);
  const time = WorkingTime.of(built.calendar);
  const now = app.clock.now();
  const dates = await workspaceDates(app);
  const longDate = (date: string) => mediumDay(date, dates, now);
  const load = built.load;
  const queued = load.reduce((a, l) => a + l.open, 0);
  // Where the history really starts: a shop that brought six weeks of it is not quoted "since" half a year ago.
  const since = time.localDate(Math.max(built.window.fromMs, built.model.firstMs ?? built.window.fromMs));
  const label = (key: string) => wf.stages.find((s) => s.key === key)?.label ?? key;
  const base = {
    workflow: wf.key,
    asOf: now.toISOString(),
    startDate: time.localDate(time.addMs(now.getTime(), 0)),
    basedOn: { orders: built.model.orders, stageVisits: built.model.visits, since, trials: FORECAST_TRIALS },
    queue: load.map((l) => ({ ...l, label: label(l.stage) })),
  };
  const thin = (why: string): Quote => ({
    ...base,
    enoughHistory: false,
    p50: null,
    p85: null,
    p50WorkingHours: null,
    p85WorkingHours: null,
    message: `Too little history to quote ${wf.name}: ${why}. Quote by hand until more orders have gone through.`,
  });
  if (built.model.orders < MIN_QUOTE_ORDERS) {
    return thin(
      `only ${built.model.orders} order${built.model.orders === 1 ? ' has' : 's have'} been through its stages since ${longDate(since)}, and at least ${MIN_QUOTE_ORDERS} are needed`,
    );
  }
  const hours = quoteHours(built.model);
  if (!hours) {
    const missing = wf.stages.slice(0, -1).filter((s) => !built.model.stages.get(s.key)?.fromEntering);
    return thin(`${missing.map((s) => s.label).join(', ')} ${missing.length === 1 ? 'has' : 'have'} too few finished visits`);
  }
  const p50 = time.localDate(time.addHours(now.getTime(), hours.p50));
  const p85 = time.localDate(time.addHours(now.getTime(), hours.p85));
  return {
    ...base,
    enoughHistory: true,
    p50,
    p85,
    p50WorkingHours: hours.p50,
    p85WorkingHours: hours.p85,
    message:
      `An order started today would be done by ${longDate(p50)}, and by ${longDate(p85)} with 85% confidence. ` +
      `Based on ${built.model.orders} past orders since ${longDate(since)}, with the ${queued} order${queued === 1 ? '' : 's'} in the queue.`,
  };
}
