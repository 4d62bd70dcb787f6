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
}

export interface StageVisitTable {
  id: Generated<number>;
  order_id: string;
  stage: string;
  entered_at: string;
  exited_at: string | null;
  by_id: string | null;
  by_name: string;
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
  prev_hash: string;
  hash: string;
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
}

export interface IdempotencyTable {
  principal: string;
  key: string;
  request_hash: string;
  status: number;
  response: string;
  created_at: string;
}

export interface Database {
  workflows: WorkflowTable;
  workflow_versions: WorkflowVersionTable;
  counters: CounterTable;
  users: UserTable;
  api_tokens: ApiTokenTable;
  sessions: SessionTable;
  orders: OrderTable;
  stage_visits: StageVisitTable;
  events: EventTable;
  chain_head: ChainHeadTable;
  outbox: OutboxTable;
  idempotency_keys: IdempotencyTable;
}
