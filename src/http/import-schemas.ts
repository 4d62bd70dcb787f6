// The import API's shapes: what a client sends (as JSON or as the options part of a multipart upload) and what it gets back.
import { z } from 'zod';
import { DATE_FORMATS } from '../domain/import/dates.ts';
import { IMPORT_SOURCES } from '../domain/import/model.ts';
import { PRIORITIES } from '../domain/order.ts';
import { Timestamp } from './schemas.ts';

const Column = z.string().min(1).max(200);
const ColumnMap = z.record(z.string().max(200), Column);

export const ImportMapping = z
  .strictObject({
    reference: Column.optional(),
    number: Column.optional(),
    title: Column.optional(),
    customerName: Column.optional(),
    customerEmail: Column.optional(),
    dueDate: Column.optional(),
    priority: Column.optional(),
    createdAt: Column.optional(),
    completedAt: Column.optional(),
    stage: Column.optional(),
    stageValues: ColumnMap.optional().meta({ description: 'value in the stage column → stage key, or "cancelled"' }),
    stageDates: ColumnMap.optional().meta({ description: 'stage key → the column with the date the order entered it' }),
    fields: ColumnMap.optional().meta({ description: 'field key → column (trello: custom field name → field key)' }),
    at: Column.optional().meta({ description: 'csv-events: the column with the time the order entered the row stage' }),
    dateFormat: z.enum(DATE_FORMATS).optional(),
    timeZone: z.string().min(1).max(64).optional(),
    lists: ColumnMap.optional().meta({ description: 'trello: list name → stage key, "cancelled" or "ignore"' }),
  })
  .meta({ id: 'ImportMapping' });

export const ImportOptions = z.strictObject({
  workflow: z.string().min(1).max(40),
  source: z.enum(IMPORT_SOURCES),
  mapping: ImportMapping.optional(),
  dryRun: z.boolean().optional(),
  fileName: z.string().min(1).max(255).optional(),
  encoding: z
    .enum(['text', 'base64'])
    .optional()
    .meta({ description: 'How `content` is written: base64 by default for xlsx, text for the others' }),
});

export const ImportRequest = ImportOptions.extend({ content: z.string() });

const Issue = z.object({
  row: z.number().int().nullable(),
  column: z.string().nullable(),
  value: z.string().nullable(),
  message: z.string(),
});
const Counts = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });

export const ImportSummary = z
  .object({
    id: z.string().nullable(),
    dryRun: z.boolean(),
    source: z.enum(IMPORT_SOURCES),
    workflow: z.string(),
    fileName: z.string().nullable(),
    sha256: z.string(),
    rows: z.number().int(),
    orders: Counts,
    events: z.number().int(),
    errors: z.array(Issue),
    warnings: z.array(Issue),
    unmappedValues: z.record(z.string(), z.record(z.string(), z.number().int())),
    proposedMapping: ImportMapping,
    columns: z
      .array(z.string())
      .meta({ description: "The file's column headers (csv, csv-events, xlsx), for choosing a mapping" }),
    preview: z.array(
      z.object({
        row: z.number().int(),
        reference: z.string(),
        action: z.enum(['create', 'update', 'unchanged']),
        number: z.string().nullable(),
        title: z.string(),
        customer: z.object({ name: z.string(), email: z.string().nullable() }),
        dueDate: z.string().nullable(),
        priority: z.enum(PRIORITIES),
        fields: z.record(z.string(), z.unknown()),
        state: z.string(),
        stage: z.string(),
        createdAt: Timestamp,
        completedAt: Timestamp.nullable(),
        stageHistory: z.array(z.object({ stage: z.string(), enteredAt: Timestamp, exitedAt: Timestamp.nullable() })),
        comments: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'ImportSummary' });

export const ImportRecord = z
  .object({
    id: z.string(),
    workflow: z.string(),
    source: z.string(),
    fileName: z.string().nullable(),
    sha256: z.string(),
    rows: z.number().int(),
    orders: Counts,
    events: z.number().int(),
    warnings: z.number().int(),
    by: z.object({ kind: z.string(), id: z.string().nullable(), name: z.string() }),
    createdAt: Timestamp,
    auditEvent: z.number().int().meta({ description: 'seq of the import.completed event in the audit chain' }),
    undone: z.object({ at: Timestamp, by: z.string(), reason: z.string(), cancelled: z.number().int() }).nullable(),
  })
  .meta({ id: 'Import' });

export const UndoResult = ImportRecord.extend({
  cancelled: z.array(z.string()),
  kept: z.array(z.object({ number: z.string(), why: z.enum(['changed-since', 'completed', 'cancelled']) })),
});
