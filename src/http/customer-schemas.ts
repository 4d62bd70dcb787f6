// Request and response schemas of the customer routes.
import { z } from 'zod';
import * as S from './schemas.ts';

const OptionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const Contact = z.strictObject({
  name: S.Text(200),
  email: z.email().max(254).nullable().optional(),
  phone: z
    .string()
    .trim()
    .max(40)
    .regex(/^[+()\d\s./-]*$/, 'must be a phone number: digits, spaces and + ( ) - . /')
    .nullable()
    .optional(),
  role: OptionalText(100),
});

const ContactOut = z.object({
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: z.string().nullable(),
});

export const CustomerInput = z.strictObject({
  name: S.Text(200),
  email: z
    .email()
    .max(254)
    .nullable()
    .optional()
    .meta({ description: "Where the customer's order updates go when an order has no e-mail of its own" }),
  contacts: z.array(Contact).max(50).optional(),
  addresses: z.array(S.Text(1000)).max(20).optional(),
  notes: z.string().max(10_000).optional(),
});

export const CustomerEdit = CustomerInput.partial().extend({ expectedVersion: z.number().int().min(1).optional() });

export const MergeBody = z.strictObject({
  from: z.string().min(1).max(100).meta({ description: 'The record merged away: its orders move to this one' }),
});

const Delivery = z
  .object({
    open: z.number().int(),
    completed: z.number().int(),
    cancelled: z.number().int(),
    withDueDate: z.number().int(),
    onTime: z.number().int(),
    onTimeRate: z
      .number()
      .nullable()
      .meta({ description: 'Completed on or before the due date, over completed orders with one' }),
    averageLeadDays: z.number().nullable().meta({ description: 'Mean calendar days from creation to completion' }),
  })
  .meta({ id: 'CustomerDeliveryRecord' });

const Base = {
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  contacts: z.array(ContactOut),
  addresses: z.array(z.string()),
  notes: z.string(),
  version: z.number().int(),
  createdAt: S.Timestamp,
  updatedAt: S.Timestamp,
};

export const Customer = z.object({ ...Base, record: Delivery }).meta({ id: 'Customer' });

export const CustomerSummary = z
  .object({ ...Base, orders: z.number().int(), openOrders: z.number().int() })
  .meta({ id: 'CustomerSummary' });

export const CustomerQuery = z.strictObject({
  q: z.string().max(200).optional().meta({ description: 'Name or e-mail contains this (any case, any script)' }),
  limit: S.Limit,
  cursor: z.string().max(1000).optional(),
});

export const CustomerOrdersQuery = z.strictObject({
  status: z.enum(['open', 'done']).optional().meta({ description: 'open: active and on hold; done: completed and cancelled' }),
  limit: S.Limit,
  cursor: z.string().max(500).optional(),
});
