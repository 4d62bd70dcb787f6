// Table shapes as Kysely sees them. Times are ISO 8601 UTC strings in both dialects, so they sort as text.
import type { Generated } from 'kysely';

export interface WorkflowTable {
  key: string;
  name: string;
  order_prefix: string;
  version: number;
  definition: string;
  created_at: string;
  updated_at: string;
}

export interface WorkflowVersionTable {
  key: string;
  version: number;
  definition: string;
  created_at: string;
  created_by: string | null;
}

export interface CounterTable {
  key: string;
  value: number;
}

export interface UserTable {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
  /** Two-factor sign-in (migration 014): the TOTP secret in use, one being enrolled, the last step accepted. */
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
  two_factor_since: string | null;
  /** The scrypt hash of the person's station PIN, or null without one. */
  pin_hash: string | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  label: string | null;
  token_hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  /** A session switched to on a shared station tablet, which ends after idle_seconds without a request. */
  station_id: string | null;
  idle_seconds: number | null;
  last_seen_at: string | null;
}

export interface StationTable {
  id: string;
  name: string;
  token_hash: string;
  idle_seconds: number;
  created_by: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface StationPinFailureTable {
  station_id: string;
  user_id: string;
  failures: number;
  locked_until: string | null;
}

export interface OrderTable {
  id: string;
  number: string;
  workflow: string;
  title: string;
  customer_name: string;
  customer_email: string | null;
  state: string;
  stage: string;
  stage_entered_at: string;
  due_date: string | null;
  priority: string;
  /** Lets the board sort rush first without a CASE: rush 0, high 1, normal 2, low 3. */
  priority_rank: number;
  fields: string;
  items: string;
  version: number;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  hold_reason: string | null;
  tracking_token: string;
  /** What a search matches: number, title, customer name and e-mail, case-folded (`orderSearchKey`). */
  search_key: string;
  /** The customer record (migration 015); null for an order no record was linked to. */
  customer_id?: string | null;
}

export interface StageVisitTable {
  id: Generated<number>;
  order_id: string;
  stage: string;
  entered_at: string;
  exited_at: string | null;
  by_id: string | null;
  by_name: string;
  /** Imported visits (migration 008): when the import wrote it, which import, which row of its file. */
  recorded_at?: string | null;
  import_id?: string | null;
  import_row?: number | null;
}

export interface EventTable {
  seq: number;
  type: string;
  at: string;
  order_id: string | null;
  order_version: number | null;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string;
  data: string;
  /** JSON: the salt of each field value in `data` (see domain/sealing.ts). */
  salts: string;
  prev_hash: string;
  hash: string;
}

/** Each time the whole chain was re-hashed in a new form (migration 006: field values sealed), after checking it. */
export interface AuditResealTable {
  at: string;
  events: number;
  old_head_hash: string;
  head_hash: string;
}

export interface ChainHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface OutboxTable {
  id: Generated<number>;
  event_seq: number;
  order_id: string | null;
  type: string;
  created_at: string;
  processed_at: string | null;
  /** The order's customer e-mail switch when the event was written (1 on, 0 off); null before it was recorded. */
  customer_email: number | null;
}

export interface IdempotencyTable {
  principal: string;
  key: string;
  request_hash: string;
  status: number;
  response: string;
  created_at: string;
}

// ---- automation (migration 002)

export interface SettingTable {
  key: string;
  /** JSON. */
  value: string;
  updated_at: string;
  updated_by: string | null;
}

export interface StagePaceTable {
  workflow: string;
  stage: string;
  median_hours: number;
  samples: number;
  computed_at: string;
}

export interface AlertRaisedTable {
  order_id: string;
  kind: string;
  scope: string;
  raised_at: string;
  event_seq: number;
}

export interface NotificationTable {
  id: Generated<number>;
  user_id: string;
  kind: string;
  order_id: string | null;
  order_number: string | null;
  event_seq: number;
  title: string;
  body: string;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPreferenceTable {
  user_id: string;
  /** JSON array of notification kinds sent by e-mail. */
  email_kinds: string;
  /** JSON array of notification kinds gathered into the daily digest. */
  digest_kinds: Generated<string>;
  /** The hour (0-23, workspace time zone) the daily digest goes out. */
  digest_hour: Generated<number>;
  updated_at: string;
}

export interface NotificationDigestTable {
  user_id: string;
  local_date: string;
  through_id: number;
  notices: number;
  created_at: string;
}

export interface OrderCustomerUpdateTable {
  order_id: string;
  /** 1 = e-mail the customer, 0 = do not. */
  email: number;
  changed_at: string;
}

export interface EmailTable {
  id: Generated<number>;
  kind: string;
  to_address: string;
  subject: string;
  body: string;
  order_id: string | null;
  user_id: string | null;
  event_seq: number;
  status: string;
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  created_at: string;
  first_attempt_at: string | null;
  sent_at: string | null;
  last_error: string | null;
}

export interface WebhookTable {
  id: string;
  url: string;
  /** JSON array of event types. */
  event_types: string;
  active: number;
  description: string | null;
  secret: string;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  /** The role whose view the payloads carry (migration 004); null: everything. */
  role: string | null;
}

export interface WebhookDeliveryTable {
  id: Generated<number>;
  webhook_id: string;
  message_id: string;
  event_seq: number;
  event_type: string;
  order_key: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  created_at: string;
  first_attempt_at: string | null;
  last_attempt_at: string | null;
  delivered_at: string | null;
  last_status: number | null;
  last_error: string | null;
}

export interface WebhookAttemptTable {
  id: Generated<number>;
  delivery_id: number;
  attempted_at: string;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
}

// ---- insight (migration 003): facts derived from the event log, invoices, calendar feeds

export interface InsightStateTable {
  id: number;
  /** The last event the facts include. */
  last_seq: number;
  /** The business calendar the facts were measured in (JSON); another one means a rebuild. */
  calendar: string;
  updated_at: string;
}

export interface InsightOrderTable {
  order_id: string;
  number: string;
  workflow: string;
  priority: string;
  customer: string;
  customer_key: string;
  /** The stage the order is in now. */
  stage: string;
  created_ms: number;
  created_date: string;
  due_date: string | null;
  /** JSON: stage key to the epoch ms the order first entered it. */
  first_entries: string;
  completed_ms: number | null;
  completed_date: string | null;
  cancelled_ms: number | null;
  invoiced_ms: number | null;
  days_late: number | null;
  reworks: number;
}

export interface InsightVisitTable {
  seq: number;
  order_id: string;
  workflow: string;
  stage: string;
  priority: string;
  customer_key: string;
  via: string;
  from_stage: string | null;
  entered_ms: number;
  entered_date: string;
  exited_ms: number | null;
  exited_date: string | null;
  ended: string | null;
  exit_kind: string | null;
  next_stage: string | null;
  calendar_ms: number | null;
  working_ms: number | null;
}

export interface InsightStageDayTable {
  workflow: string;
  stage: string;
  priority: string;
  day: string;
  entered: number;
  exited: number;
  cancelled: number;
  reworked: number;
  /** Float64 little-endian durations (ms) of the visits that ended this day by a move. */
  working: Uint8Array;
  calendar: Uint8Array;
}

export interface InsightCompletionDayTable {
  workflow: string;
  priority: string;
  day: string;
  lead: Uint8Array;
  lead_working: Uint8Array;
  cycle: Uint8Array;
  cycle_working: Uint8Array;
}

export interface InsightWorkflowTable {
  workflow: string;
  /** JSON arrays of stage keys: where cycle time starts (the cycle-start stage and later), where an order is ready to invoice. */
  cycle_stages: string;
  invoice_stages: string;
}

export interface InsightReadyTable {
  order_id: string;
  workflow: string;
  /** When the order first reached the invoice stage (or a later one). */
  since_ms: number;
}

export interface OrderInvoiceTable {
  order_id: string;
  invoiced_at: string;
  event_seq: number;
  reference: string | null;
  by_kind: string;
  by_id: string | null;
  by_name: string;
}

export interface CalendarFeedTable {
  id: string;
  user_id: string;
  token_hash: string;
  workflow: string | null;
  /** 1: only orders whose current stage the user's role owns. */
  mine_only: number;
  created_at: string;
  revoked_at: string | null;
}

// ---- tracking and access (migration 004)

export interface OrderTrackingTable {
  order_id: string;
  /** 1 = the tracking link works, 0 = switched off. */
  enabled: number;
  changed_at: string;
}

export interface SignInTable {
  id: Generated<number>;
  at: string;
  /** The e-mail as typed (lower-cased, cut to 254 characters). */
  email: string;
  user_id: string | null;
  /** success | failed | disabled */
  outcome: string;
  ip: string | null;
  user_agent: string | null;
}

export interface WorkspaceSetupTable {
  id: number;
  completed_at: string;
  admin_id: string;
}

export interface InviteTable {
  id: string;
  token_hash: string;
  email: string;
  name: string | null;
  role: string;
  invited_by: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  user_id: string | null;
  revoked_at: string | null;
}

// ---- imports (migration 008)

export interface ImportTable {
  id: string;
  workflow: string;
  source: string;
  file_name: string | null;
  sha256: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  events: number;
  warnings: number;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string;
  created_at: string;
  /** The import.completed event that records it in the audit chain. */
  event_seq: number;
  undone_at: string | null;
  undone_by: string | null;
  undo_reason: string | null;
  undo_cancelled: number | null;
}

export interface ImportOrderTable {
  workflow: string;
  reference: string;
  order_id: string;
  created_by_import: string;
  last_import: string;
  row_hash: string;
  version: number;
}

// ---- files on orders (migration 016)

export interface OrderFileTable {
  id: string;
  order_id: string;
  kind: string;
  visibility: string;
  name: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_at: string;
  uploaded_by_kind: string;
  uploaded_by_id: string | null;
  uploaded_by_name: string;
  /** Removed files keep their record (and their history); their bytes are deleted. */
  removed_at: string | null;
  removed_by_name: string | null;
}

export interface OrderFileContentTable {
  file_id: string;
  bytes: Uint8Array;
}

// ---- customers (migration 015)

export interface CustomerTable {
  id: string;
  name: string;
  /** `customerNameKey(name)`: unique among records not merged away. */
  name_key: string;
  email: string | null;
  /** `emailKey(email)`, for finding a record by the e-mail an order carries. */
  email_key: string | null;
  /** JSON: Contact[]. */
  contacts: string;
  /** JSON: string[]. */
  addresses: string;
  notes: string;
  merged_into: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

// ---- own sign-in (migration 014)

export interface PasswordResetTable {
  id: string;
  token_hash: string;
  user_id: string;
  /** The admin who sent it; null when the person asked for it themselves. */
  requested_by: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface RecoveryCodeTable {
  user_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

export interface SignInChallengeTable {
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  failures: Generated<number>;
  used_at: string | null;
}

export interface Database {
  customers: CustomerTable;
  imports: ImportTable;
  import_orders: ImportOrderTable;
  workflows: WorkflowTable;
  workflow_versions: WorkflowVersionTable;
  counters: CounterTable;
  users: UserTable;
  api_tokens: ApiTokenTable;
  sessions: SessionTable;
  stations: StationTable;
  station_pin_failures: StationPinFailureTable;
  orders: OrderTable;
  stage_visits: StageVisitTable;
  events: EventTable;
  chain_head: ChainHeadTable;
  audit_reseals: AuditResealTable;
  outbox: OutboxTable;
  idempotency_keys: IdempotencyTable;
  settings: SettingTable;
  stage_pace: StagePaceTable;
  alerts_raised: AlertRaisedTable;
  notifications: NotificationTable;
  notification_preferences: NotificationPreferenceTable;
  notification_digests: NotificationDigestTable;
  order_customer_updates: OrderCustomerUpdateTable;
  emails: EmailTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  insight_state: InsightStateTable;
  insight_orders: InsightOrderTable;
  insight_visits: InsightVisitTable;
  insight_stage_days: InsightStageDayTable;
  insight_completion_days: InsightCompletionDayTable;
  insight_workflows: InsightWorkflowTable;
  insight_ready: InsightReadyTable;
  order_invoices: OrderInvoiceTable;
  calendar_feeds: CalendarFeedTable;
  order_tracking: OrderTrackingTable;
  sign_ins: SignInTable;
  workspace_setup: WorkspaceSetupTable;
  invites: InviteTable;
  order_files: OrderFileTable;
  order_file_contents: OrderFileContentTable;
  password_resets: PasswordResetTable;
  recovery_codes: RecoveryCodeTable;
  sign_in_challenges: SignInChallengeTable;
}
