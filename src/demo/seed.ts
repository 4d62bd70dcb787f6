// Seeds the demo workspace: a custom-apparel shop with a user per role and ~60 orders, the oldest about six weeks old.

import { commentOnOrder } from '../app/comment-order.ts';
import type { Actor, AppContext } from '../app/context.ts';
import { SYSTEM_ACTOR } from '../app/context.ts';
import { createOrder } from '../app/create-order.ts';
import { editOrder } from '../app/edit-order.ts';
import { cancelOrder, holdOrder } from '../app/hold-order.ts';
import { actorForUser, createUser } from '../app/manage-access.ts';
import { createWorkflow } from '../app/manage-workflows.ts';
import { moveOrder } from '../app/move-order.ts';
import { businessCalendar } from '../app/reports/insight.ts';
import { subtractWorkingHours } from '../domain/calendar.ts';
import { ManualClock } from '../domain/clock.ts';
import { seededRandom } from '../domain/metrics/random.ts';
import { ROLES, type Role } from '../domain/roles.ts';
import { CUSTOM_APPAREL } from './custom-apparel.ts';

export const DEMO_PASSWORD = 'floorboard-demo';
export const demoEmail = (role: Role) => `${role}@demo.floorboard.test`;

const PEOPLE: Record<Role, string> = {
  admin: 'Ada Admin',
  manager: 'Morgan Price',
  sales: 'Sam Okafor',
  procurement: 'Priya Natarajan',
  production: 'Pablo Reyes',
  fulfillment: 'Fran Müller',
  service: 'Sofia Lindqvist',
  finance: 'Felix Bauer',
  viewer: 'Vic Visitor',
};

const CUSTOMERS = [
  ['Harbour FC', 'kit@harbourfc.example'],
  ['Northside Brewing Co.', 'merch@northsidebrewing.example'],
  ['St. Aidan Primary School', 'office@staidan.example'],
  ['Riverside 10K', 'race@riverside10k.example'],
  ['Copper Kettle Café', 'hello@copperkettle.example'],
  ['Delta Robotics', 'events@deltarobotics.example'],
  ['The Lantern Theatre', 'box@lanterntheatre.example'],
  ['Greenway Landscaping', 'crew@greenway.example'],
  ['Bayview Dental', 'team@bayviewdental.example'],
  ['Kite & Co. Architects', 'studio@kiteandco.example'],
  ['Summit Climbing Gym', 'staff@summitclimb.example'],
  ['Oakridge Rotary Club', 'secretary@oakridgerotary.example'],
] as const;

const JOBS = [
  ['Team hoodies', 'Hoodie', 'Screen print'],
  ['Staff polos', 'Polo shirt', 'Embroidery'],
  ['Event T-shirts', 'T-shirt', 'Screen print'],
  ['Volunteer tees', 'T-shirt', 'DTG'],
  ['Merch tote bags', 'Tote bag', 'Screen print'],
  ['Embroidered caps', 'Cap', 'Embroidery'],
  ['Winter sweatshirts', 'Sweatshirt', 'Screen print'],
  ['Launch party shirts', 'T-shirt', 'Heat transfer'],
] as const;

/** Typical hours an order spends in each stage (min, max), in the demo's made-up history. */
const STAGE_HOURS: Array<[number, number]> = [
  [2, 20],
  [24, 120],
  [24, 96],
  [24, 72],
  [8, 40],
  [2, 16],
  [4, 24],
  [48, 120],
];

interface Step {
  at: number;
  run: () => Promise<unknown>;
}

export interface DemoSummary {
  users: Array<{ email: string; role: Role; password: string }>;
  orders: number;
}

/**
 * Seeds the demo into an empty database. History is made by the real use cases on a
 * clock that walks through the last eight weeks (orders arrive more often lately: the oldest is about six weeks old), so every event is chained as in real use.
 */
export async function seedDemo(app: AppContext, now = app.clock.now()): Promise<DemoSummary> {
  const clock = new ManualClock(new Date(now.getTime() - 57 * 86_400_000));
  const sim: AppContext = { db: app.db, clock };
  const actors = {} as Record<Role, Actor>;
  for (const role of ROLES) {
    const user = await createUser(sim, SYSTEM_ACTOR, {
      email: demoEmail(role),
      name: PEOPLE[role],
      role,
      password: DEMO_PASSWORD,
    });
    actors[role] = actorForUser(user);
  }
  await createWorkflow(sim, actors.admin, CUSTOM_APPAREL);

  const rnd = seededRandom(1042);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const hour = 3_600_000;
  const start = now.getTime() - 56 * 86_400_000;
  const steps: Step[] = [];
  const stages = CUSTOM_APPAREL.stages;
  const ORDERS = 60;
  // Stall clocks count working hours: a stuck order is placed so that its stage's threshold has passed in
  // working time by `now`, whatever the day and hour the demo is started (a weekend or a night included).
  const calendar = await businessCalendar(sim);

  for (let i = 0; i < ORDERS; i++) {
    // More orders recently: the shop is growing, and the board has work in every column.
    const createdAt = start + Math.cbrt(rnd()) * (now.getTime() - start - 2 * hour);
    // One order in five gets stuck somewhere: those are the stalls the board must surface.
    const stuckAt = rnd() < 0.2 ? Math.floor(rnd() * (STAGE_HOURS.length - 1)) : -1;
    const [customer, email] = pick(CUSTOMERS);
    const [job, garment, method] = pick(JOBS);
    const quantity = 10 + Math.floor(rnd() * 24) * 5;
    const dueDate = new Date(createdAt + (14 + Math.floor(rnd() * 14)) * 86_400_000).toISOString().slice(0, 10);
    const hasArtwork = rnd() < 0.7;
    const slug = customer.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    let number = '';
    // This order's steps, kept apart until its timeline is final (a stuck order may be moved earlier).
    const own: Step[] = [];
    own.push({
      at: createdAt,
      run: async () => {
        const order = await createOrder(sim, actors.sales, {
          workflow: CUSTOM_APPAREL.key,
          title: `${job} for ${customer}`,
          customer: { name: customer, email },
          dueDate,
          priority: rnd() < 0.1 ? 'rush' : rnd() < 0.25 ? 'high' : rnd() < 0.1 ? 'low' : 'normal',
          fields: {
            garment,
            quantity,
            print_method: method,
            colours: 1 + Math.floor(rnd() * 4),
            unit_price: (6 + rnd() * 20).toFixed(2),
            ...(hasArtwork ? { artwork_url: `https://files.example/artwork/${slug}-${i + 1}.pdf` } : {}),
          },
          items: [{ sku: `${garment.slice(0, 2).toUpperCase()}-${quantity}`, description: `${garment}, mixed sizes`, quantity }],
        });
        number = order.number;
      },
    });

    let t = createdAt;
    let reworked = false;
    let reached = 0;
    for (let s = 0; s < stages.length - 1; s++) {
      const [lo, hi] = STAGE_HOURS[s]!;
      const dwell = (lo + rnd() * (hi - lo)) * hour;
      if (s === stuckAt || t + dwell > now.getTime() - hour) break; // still sitting in stage s
      const from = stages[s]!;
      const to = stages[s + 1]!;
      const moveAt = t + dwell;
      const owner = actors[from.ownerRole];
      if (from.key === 'received' && !hasArtwork) {
        own.push({
          at: moveAt - 0.5 * hour,
          run: () =>
            editOrder(sim, actors.sales, number, {
              fields: { artwork_url: `https://files.example/artwork/${slug}-${i + 1}-v2.pdf` },
            }),
        });
      }
      if (to.key === 'proof_approval') {
        // The proof the customer approves on their tracking page.
        own.push({
          at: moveAt - 0.15 * hour,
          run: () =>
            editOrder(sim, actors.sales, number, { fields: { proof_url: `https://files.example/proofs/${slug}-${i + 1}.pdf` } }),
        });
      }
      if (from.key === 'proof_approval') {
        own.push({
          at: moveAt - 0.2 * hour,
          run: () => editOrder(sim, actors.sales, number, { fields: { proof_approved: true } }),
        });
      }
      if (from.key === 'supplier_confirmation') {
        const eta = new Date(moveAt + 3 * 86_400_000).toISOString().slice(0, 10);
        own.push({
          at: moveAt - 0.3 * hour,
          run: () => editOrder(sim, actors.service, number, { fields: { supplier_eta: eta } }),
        });
      }
      if (from.key === 'ready_for_dispatch') {
        const tracking = `1Z${Math.floor(rnd() * 1e10)
          .toString()
          .padStart(10, '0')}`;
        own.push({
          at: moveAt - 0.4 * hour,
          run: () => editOrder(sim, actors.sales, number, { fields: { tracking_number: tracking } }),
        });
      }
      own.push({ at: moveAt, run: () => moveOrder(sim, owner, number, { to: to.key }) });
      t = moveAt;
      reached = s + 1;
      // Now and then quality check finds a misprint and the run goes back on press.
      if (to.key === 'quality_check' && !reworked && rnd() < 0.15) {
        reworked = true;
        const back = t + 2 * hour;
        if (back < now.getTime() - hour) {
          own.push({
            at: back,
            run: () =>
              moveOrder(sim, actors.production, number, { to: 'on_press', reason: 'Misprint on part of the run: reprinting' }),
          });
          own.push({
            at: back + 6 * hour,
            run: () => commentOnOrder(sim, actors.production, number, 'Reprint done, sending back to QC'),
          });
          own.push({ at: back + 8 * hour, run: () => moveOrder(sim, actors.production, number, { to: 'quality_check' }) });
          t = back + 8 * hour;
          if (t > now.getTime() - hour) break;
        }
      }
    }
    if (reached === stuckAt) {
      // Sat in its stage for 1.3 to 2.5 times the stall threshold, counted in working hours.
      const threshold = stages[stuckAt]!.stallAfterHours ?? 24;
      const latest = subtractWorkingHours(calendar, now, threshold * (1.3 + (i % 5) * 0.3)).getTime();
      const shift = Math.max(0, t - latest);
      if (createdAt - shift > start) {
        for (const step of own) step.at -= shift;
        t -= shift;
      }
    }
    const open = reached < stages.length - 1;
    // A few open orders are held or cancelled, as happens in any shop.
    if (open && (i % 17 === 7 || i % 17 === 11)) {
      own.push({
        at: Math.min(t + 3 * hour, now.getTime() - hour / 2),
        run: () => holdOrder(sim, actors.manager, number, { reason: "Waiting for the customer's revised artwork" }),
      });
    } else if (open && i % 29 === 13) {
      own.push({
        at: Math.min(t + 4 * hour, now.getTime() - hour / 3),
        run: () => cancelOrder(sim, actors.manager, number, { reason: 'Customer cancelled: event postponed' }),
      });
    }
    steps.push(...own);
  }

  steps.sort((a, b) => a.at - b.at);
  for (const step of steps) {
    clock.set(new Date(step.at));
    await step.run();
  }
  return { users: ROLES.map((role) => ({ email: demoEmail(role), role, password: DEMO_PASSWORD })), orders: ORDERS };
}
