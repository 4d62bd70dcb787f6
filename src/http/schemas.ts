// Request and response schemas of the public API: they validate input and are the OpenAPI document's source.
import { z } from 'zod';
import { ACTOR_KINDS } from '../domain/events.ts';
import { isCalendarDate } from '../domain/fields.ts';
import { FLAGS, ORDER_STATES, PRIORITIES } from '../domain/order.ts';
import { ROLES } from '../domain/roles.ts';
import { FIELD_TYPES, KEY_PATTERN, STALL_BASES } from '../domain/workflow.ts';

export const Key = z.string().regex(KEY_PATTERN, 'must be lowercase letters, digits and _ , starting with a letter, at most 40');
/** Workflow keys may also hold hyphens (`custom-apparel`); stage and field keys may not. */
export const WorkflowKey = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be lowercase letters, digits, _ and -, starting with a letter, at most 40');
export const Role = z.enum(ROLES);
export const CalendarDate = z
  .string()
  .max(10)
  .refine(isCalendarDate, 'must be a real date written YYYY-MM-DD')
  .meta({ format: 'date', example: '2026-12-18' });
export const Timestamp = z.string().meta({ format: 'date-time', example: '2026-11-24T09:12:03.000Z' });
export const Text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem', description: 'RFC 9457 problem details; `type` is a stable code' });

// ---- workflows

export const FieldDef = z.strictObject({
  key: Key,
  label: Text(100),
  type: z.enum(FIELD_TYPES),
  options: z.array(Text(100)).max(200).optional(),
  required: z.boolean().optional(),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
  visibleTo: z.array(Role).optional(),
});

export const StageDef = z.strictObject({
  key: Key,
  label: Text(100),
  ownerRole: Role,
  nextAction: Text(300),
  stallAfterHours: z.number().positive().max(100_000).nullable().optional(),
  stallHoursBasis: z.enum(STALL_BASES).optional(),
  customerLabel: Text(200).nullable().optional(),
  requires: z.array(Key).max(100).optional(),
  notifyCustomer: z.boolean().optional(),
  invoiceTrigger: z.boolean().optional(),
  wipLimit: z.number().int().positive().max(100_000).nullable().optional(),
  customerApproval: z.boolean().optional().meta({
    description: 'The customer approves here, on the tracking page (Approve / Request changes); approving moves the order on',
  }),
  proofField: Key.optional().meta({
    description: 'A url field the tracking page links to as the proof (customerApproval stages)',
  }),
  changesReturnTo: Key.optional().meta({
    description:
      'The earlier stage "Request changes" sends the order back to (customerApproval stages); default: the stage before',
  }),
});

export const WorkflowInput = z.strictObject({
  key: WorkflowKey,
  name: Text(100),
  orderPrefix: z.string().regex(/^[A-Z][A-Z0-9]{0,9}$/, 'must be 1 to 10 capital letters or digits, starting with a letter'),
  stages: z.array(StageDef).min(2).max(50),
  fields: z.array(FieldDef).max(200).default([]),
});

export const Workflow = WorkflowInput.extend({ version: z.number().int() }).meta({ id: 'Workflow' });

// ---- orders

const FieldValue = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);
const FieldValues = z
  .record(z.string().max(40), FieldValue)
  .refine((v) => Object.keys(v).length <= 200, 'must have at most 200 fields');

const Customer = z.strictObject({
  name: Text(200),
  email: z.email().max(254).nullable().optional(),
});

const Item = z.strictObject({
  sku: z.string().trim().max(100).nullable().optional(),
  description: Text(1000),
  quantity: z.number().int().min(1).max(1_000_000_000),
});

const ExpectedVersion = z.number().int().min(1).optional();

export const NewOrder = z.strictObject({
  workflow: WorkflowKey,
  title: Text(200),
  customer: Customer.optional().meta({ description: 'Required unless customerId names the customer record' }),
  customerId: z.string().min(1).max(100).optional().meta({
    description: 'The customer record; without it the record is found by the customer name (or e-mail), or made',
  }),
  dueDate: CalendarDate.nullable().optional(),
  priority: z.enum(PRIORITIES).optional(),
  fields: FieldValues.optional(),
  items: z.array(Item).max(500).optional(),
});

export const OrderEdit = z.strictObject({
  title: Text(200).optional(),
  customer: Customer.optional(),
  dueDate: CalendarDate.nullable().optional(),
  priority: z.enum(PRIORITIES).optional(),
  fields: FieldValues.optional(),
  items: z.array(Item).max(500).optional(),
  expectedVersion: ExpectedVersion,
});

export const Transition = z.strictObject({
  to: z.string().min(1).max(40),
  reason: z.string().trim().max(2000).nullable().optional(),
  expectedVersion: ExpectedVersion,
});

export const ReasonBody = z.strictObject({
  reason: z.string().trim().max(2000).nullable().optional(),
  expectedVersion: ExpectedVersion,
});

export const CommentBody = z.strictObject({
  body: Text(10_000),
  problem: z
    .boolean()
    .optional()
    .meta({ description: 'A problem report: recorded with the current stage, and its owner role is notified' }),
});

const Person = z.object({ id: z.string().nullable(), name: z.string() });

export const StageVisit = z.object({
  stage: z.string(),
  enteredAt: Timestamp,
  exitedAt: Timestamp.nullable(),
  by: Person,
  recordedAt: Timestamp.optional().meta({
    description: 'imported visits: when the import recorded it (enteredAt is when it happened)',
  }),
  source: z.object({ import: z.string(), row: z.number().int().nullable() }).optional(),
});

/** Defined here (not with the report schemas) because Order and Card carry it. */
export const EtaDates = z
  .object({
    p50: z.string().meta({ format: 'date', description: 'Done by this date, 50% sure' }),
    p85: z.string().meta({ format: 'date', description: 'Done by this date, 85% sure' }),
  })
  .nullable()
  .meta({
    id: 'Eta',
    description: 'Expected completion (Monte Carlo over recent stage times); null when not active or without enough history',
  });

export const Order = z
  .object({
    id: z.string(),
    number: z.string().meta({ example: 'ORD-1042' }),
    workflow: z.string(),
    title: z.string(),
    customer: z.object({ name: z.string(), email: z.string().nullable() }),
    customerId: z.string().nullable().meta({ description: 'The customer record (GET /api/v1/customers/{id})' }),
    state: z.enum(ORDER_STATES),
    stage: z.string(),
    stageLabel: z.string(),
    ownerRole: Role.nullable(),
    nextAction: z.string().nullable(),
    stageEnteredAt: Timestamp,
    dueDate: z.string().nullable(),
    priority: z.enum(PRIORITIES),
    fields: z.record(z.string(), FieldValue),
    items: z.array(z.object({ sku: z.string().nullable(), description: z.string(), quantity: z.number() })),
    version: z.number().int(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    completedAt: Timestamp.nullable(),
    holdReason: z.string().nullable(),
    trackingUrl: z.string(),
    customerStatus: z.string().meta({
      description: 'What the customer reads on the tracking page now: the customer label of the step the order is in',
      example: 'Being printed',
    }),
    stageHistory: z.array(StageVisit).meta({
      description:
        "The stages the order has been through, oldest first. A move's answer holds only the current stage's entry (see historyUrl)",
    }),
    historyUrl: z.string().optional().meta({
      description: "Only when stageHistory holds just the current stage's entry: the order's whole history (GET .../events)",
      example: '/api/v1/orders/0b7c.../events',
    }),
    flags: z.array(z.enum(FLAGS)),
    eta: EtaDates,
  })
  .meta({ id: 'Order' });

export const Event = z
  .object({
    seq: z.number().int(),
    type: z.string(),
    at: Timestamp,
    orderId: z.string().nullable(),
    orderVersion: z.number().int().nullable(),
    actor: z.object({
      kind: z.enum(ACTOR_KINDS).meta({ description: "customer: the order's customer, on their tracking page" }),
      id: z.string().nullable(),
      name: z.string(),
    }),
    data: z.record(z.string(), z.unknown()).meta({ description: "Field values the reader's role may not see are left out" }),
    sealed: z.array(z.string()).meta({
      description: 'SHA-256 commitments to every field value of the event, sorted: the hash covers these instead of the values',
    }),
    salts: z.record(z.string(), z.string()).meta({
      description:
        'The salt of each field value the reader may see (fields.<key>, changes.<index>): sha256(salt + canonical JSON) opens its commitment',
    }),
    hash: z.string(),
    prevHash: z.string(),
  })
  .meta({ id: 'Event' });

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const Limit = z.coerce.number().int().min(1).max(500).default(50);

export const OrderQuery = z.strictObject({
  workflow: z.string().max(40).optional(),
  stage: z.string().max(40).optional(),
  state: z.enum(ORDER_STATES).optional(),
  q: z.string().max(200).optional(),
  owner: z.literal('me').optional(),
  flag: z.enum(FLAGS).optional(),
  dueBefore: CalendarDate.optional(),
  dueAfter: CalendarDate.optional(),
  limit: Limit,
  cursor: z.string().max(500).optional(),
});

export const Card = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  customerName: z.string(),
  priority: z.enum(PRIORITIES),
  dueDate: z.string().nullable(),
  stage: z.string(),
  stageEnteredAt: Timestamp,
  state: z.enum(['active', 'on_hold']),
  flags: z.array(z.enum(FLAGS)),
  version: z.number().int(),
  eta: EtaDates,
});

export const Board = z
  .object({
    workflow: Workflow,
    generatedAt: Timestamp,
    columns: z.array(
      z.object({
        stage: StageDef,
        count: z.number().int(),
        wipLimit: z.number().int().nullable(),
        overWipLimit: z.boolean(),
        cards: z.array(Card),
      }),
    ),
  })
  .meta({ id: 'Board' });

// ---- users, tokens, sessions

export const User = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: Role,
    createdAt: Timestamp,
    disabledAt: Timestamp.nullable(),
    twoFactor: z.boolean().meta({ description: 'Signs in with a code from an authenticator app as well as the password' }),
  })
  .meta({ id: 'User' });

export const NewUser = z.strictObject({
  email: z.email().max(254),
  name: Text(200),
  role: Role,
  password: z.string().min(8).max(200),
});

export const UserEdit = z.strictObject({
  name: Text(200).optional(),
  role: Role.optional(),
  disabled: z.boolean().optional(),
  password: z.string().min(8).max(200).optional(),
  twoFactor: z
    .literal(false)
    .optional()
    .meta({ description: 'false turns two-factor sign-in off (admin: for someone who lost their phone and codes)' }),
});

export const ApiToken = z
  .object({
    id: z.string(),
    userId: z.string(),
    label: z.string().nullable(),
    createdAt: Timestamp,
    expiresAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ApiToken' });

export const NewToken = z.strictObject({
  label: z.string().trim().max(100).nullable().optional(),
  userId: z.string().max(100).optional(),
  expiresAt: Timestamp.pipe(z.iso.datetime()).nullable().optional(),
});

export const Login = z.strictObject({ email: z.string().max(254), password: z.string().max(200) });

export const WorkspaceDates = z
  .object({
    locale: z.string().meta({ example: 'en-GB' }),
    timeZone: z.string().meta({ example: 'Europe/London' }),
  })
  .meta({
    id: 'WorkspaceDates',
    description: "How the workspace writes dates: the web app shows every date this way, whatever the browser's zone",
  });

export const Me = z.object({ user: User, csrfToken: z.string().nullable(), workspace: WorkspaceDates });

export const IdParam = z.object({ id: z.string().min(1).max(100) });
export const KeyParam = z.object({ key: z.string().min(1).max(40) });
