// Trello board exports: lists become stages, cards orders, list moves their stage history with Trello's own dates.
import { DateTime } from 'luxon';
import type { FieldValues } from '../fields.ts';
import { isFinalStage, stageIndex, type WorkflowDefinition } from '../workflow.ts';
import {
  CANCELLED,
  type DraftComment,
  type DraftEntry,
  IGNORE,
  type ImportIssue,
  type ImportMapping,
  issue,
  type OrderDraft,
  type ReadResult,
} from './model.ts';
import { norm, stageForValue } from './proposal.ts';
import { fieldValueOf } from './values.ts';

interface TrelloRef {
  id?: string;
  name?: string;
}
interface TrelloAction {
  type?: string;
  date?: string;
  data?: {
    card?: TrelloRef & { closed?: boolean };
    list?: TrelloRef;
    listBefore?: TrelloRef;
    listAfter?: TrelloRef;
    old?: { closed?: boolean };
    text?: string;
  };
  memberCreator?: { fullName?: string; username?: string };
}
interface TrelloCard {
  id: string;
  name?: string;
  idList?: string;
  closed?: boolean;
  due?: string | null;
  dateLastActivity?: string;
  customFieldItems?: Array<{ idCustomField?: string; idValue?: string | null; value?: Record<string, unknown> | null }>;
}
interface TrelloBoard {
  name?: string;
  lists: Array<{ id: string; name: string; closed?: boolean }>;
  cards: TrelloCard[];
  actions: TrelloAction[];
  customFields?: Array<{ id: string; name: string; type?: string; options?: Array<{ id: string; value?: { text?: string } }> }>;
}

/** Actions that put a card into a list: its creation, a copy, a move from another board, a list move. */
const ENTERING = new Set(['createCard', 'copyCard', 'moveCardToBoard', 'convertToCardFromCheckItem', 'emailCard']);

function shapeProblem(board: unknown): string | null {
  const b = board as Partial<TrelloBoard> | null;
  if (!b || typeof b !== 'object' || Array.isArray(b))
    return 'The file is JSON but not a Trello board export (it is not an object with lists and cards)';
  const missing = (['lists', 'cards', 'actions'] as const).filter((k) => !Array.isArray(b[k]));
  if (missing.length)
    return `The file is JSON but not a Trello board export: it has no ${missing.join(', ')} (export the board from its menu: "Print, export and share" → "Export as JSON")`;
  if (b.lists!.some((l) => typeof l?.id !== 'string' || typeof l?.name !== 'string'))
    return 'The file is not a Trello board export: a list has no id or name';
  if (b.cards!.some((c) => typeof c?.id !== 'string')) return 'The file is not a Trello board export: a card has no id';
  return null;
}

/** When Trello made an object: the first four bytes of its id are seconds since 1970. */
function idTime(id: string): number | null {
  if (!/^[0-9a-f]{24}$/i.test(id)) return null;
  return Number.parseInt(id.slice(0, 8), 16) * 1000;
}

function customFieldText(
  def: NonNullable<TrelloBoard['customFields']>[number],
  item: NonNullable<TrelloCard['customFieldItems']>[number],
): string {
  if (item.idValue) return def.options?.find((o) => o.id === item.idValue)?.value?.text ?? '';
  const v = item.value ?? {};
  if ('checked' in v) return v.checked === 'true' || v.checked === true ? 'yes' : 'no';
  if ('date' in v && typeof v.date === 'string') return v.date.slice(0, 10);
  return String(v.text ?? v.number ?? v.date ?? '');
}

export function readTrelloBoard(
  board: unknown,
  opts: { wf: WorkflowDefinition; mapping: ImportMapping; zone: string; nowMs: number },
): ReadResult {
  const { wf } = opts;
  const warnings: ImportIssue[] = [];
  const unmappedValues: Record<string, Record<string, number>> = {};
  const shape = shapeProblem(board);
  if (shape)
    return { drafts: [], rows: 0, errors: [issue(null, null, null, shape)], warnings, unmappedValues, mapping: opts.mapping };
  const b = board as TrelloBoard;
  // Proposed: a list named after a stage (key or label) goes to it; fields by their name.
  const lists: Record<string, string> = {};
  for (const l of b.lists) {
    const given = opts.mapping.lists?.[l.name];
    const proposed = stageForValue(wf, l.name);
    if (given ?? proposed) lists[l.name] = (given ?? proposed)!;
  }
  const fields: Record<string, string> = { ...(opts.mapping.fields ?? {}) };
  for (const cf of b.customFields ?? [])
    if (!fields[cf.name]) {
      const f = wf.fields.find((x) => norm(x.key) === norm(cf.name) || norm(x.label) === norm(cf.name));
      if (f) fields[cf.name] = f.key;
    }
  const mapping: ImportMapping = { ...opts.mapping, lists, fields };
  const errors: ImportIssue[] = [];
  const listName = new Map(b.lists.map((l) => [l.id, l.name]));
  const targetOf = (listId: string | undefined): string | undefined => {
    const name = listId === undefined ? undefined : listName.get(listId);
    return name === undefined ? undefined : lists[name];
  };
  // Each list's mapping must name a stage, "cancelled" or "ignore"; a list holding cards must be mapped.
  for (const [name, target] of Object.entries(lists))
    if (target !== CANCELLED && target !== IGNORE && stageIndex(wf, target) < 0)
      errors.push(
        issue(null, 'list', name, `The list "${name}" is mapped to "${target}", which is not a stage of workflow "${wf.key}"`),
      );
  for (const [i, card] of b.cards.entries()) {
    const name = card.idList === undefined ? undefined : listName.get(card.idList);
    if (name !== undefined && lists[name] === undefined) {
      const counts = unmappedValues.list ?? {};
      unmappedValues.list = counts;
      counts[name] = (counts[name] ?? 0) + 1;
      if (counts[name] === 1)
        errors.push(
          issue(i + 1, 'list', name, `The list "${name}" matches no stage: map it in lists to a stage, "cancelled" or "ignore"`),
        );
    }
  }
  if (errors.length) return { drafts: [], rows: b.cards.length, errors, warnings, unmappedValues, mapping };

  const byCard = new Map<string, TrelloAction[]>();
  for (const a of b.actions) {
    const id = a?.data?.card?.id;
    if (!id || typeof a.date !== 'string') continue;
    const list = byCard.get(id) ?? [];
    list.push(a);
    byCard.set(id, list);
  }
  const customFields = new Map((b.customFields ?? []).map((cf) => [cf.id, cf]));
  const drafts: OrderDraft[] = [];
  for (const [i, card] of b.cards.entries()) {
    const row = i + 1;
    const current = targetOf(card.idList);
    if (current === IGNORE) continue;
    // Oldest first; at one instant the card's creation comes before its moves, and otherwise the export's order
    // (newest first) is reversed.
    const actions = (byCard.get(card.id) ?? [])
      .map((a, k) => ({ a, k }))
      .sort(
        (x, y) =>
          Date.parse(x.a.date!) - Date.parse(y.a.date!) ||
          Number(ENTERING.has(y.a.type ?? '')) - Number(ENTERING.has(x.a.type ?? '')) ||
          y.k - x.k,
      )
      .map((x) => x.a);
    const before = errors.length;
    const moves: Array<{ list: string | undefined; ms: number; by: string | null }> = [];
    const comments: DraftComment[] = [];
    let closedMs: number | null = null;
    for (const a of actions) {
      const ms = Date.parse(a.date!);
      if (Number.isNaN(ms)) continue;
      if (ms > opts.nowMs) errors.push(issue(row, 'date', a.date!, `Card "${card.name}" has an action dated in the future`));
      const by = a.memberCreator?.fullName ?? a.memberCreator?.username ?? null;
      if (a.type === 'updateCard' && a.data?.listAfter?.id) {
        if (moves.length === 0 && a.data.listBefore?.id)
          moves.push({ list: a.data.listBefore.id, ms: idTime(card.id) ?? ms, by: null });
        moves.push({ list: a.data.listAfter.id, ms, by });
      } else if (ENTERING.has(a.type ?? '') && moves.length === 0) moves.push({ list: a.data?.list?.id ?? card.idList, ms, by });
      else if (a.type === 'updateCard' && a.data?.old?.closed === false && a.data.card?.closed) closedMs = ms;
      else if (a.type === 'commentCard' && typeof a.data?.text === 'string')
        comments.push({ ms, author: by ?? 'Trello', body: a.data.text, row });
    }
    const lastActivity = card.dateLastActivity ? Date.parse(card.dateLastActivity) : Number.NaN;
    if (moves.length === 0)
      moves.push({
        list: card.idList,
        ms: idTime(card.id) ?? (Number.isNaN(lastActivity) ? opts.nowMs : lastActivity),
        by: null,
      });
    if (moves[moves.length - 1]!.list !== card.idList) {
      warnings.push(
        issue(
          row,
          'card',
          card.name ?? card.id,
          'The export does not hold every move of this card (Trello exports its last 1,000 actions): its last move is dated at its last activity',
        ),
      );
      moves.push({
        list: card.idList,
        ms: Math.max(moves[moves.length - 1]!.ms, Number.isNaN(lastActivity) ? 0 : lastActivity),
        by: null,
      });
    }
    const entries: DraftEntry[] = [];
    let cancelledMs: number | null = null;
    for (const m of moves) {
      const target = targetOf(m.list);
      if (target === undefined || target === IGNORE) continue;
      if (target === CANCELLED) {
        cancelledMs = m.ms;
        continue;
      }
      cancelledMs = null;
      if (entries[entries.length - 1]?.stage !== target) entries.push({ stage: target, ms: m.ms, row, by: m.by });
    }
    if (entries.length === 0) entries.push({ stage: wf.stages[0]!.key, ms: moves[0]!.ms, row, by: null });
    const values: FieldValues = {};
    let customer: string | null = null;
    for (const item of card.customFieldItems ?? []) {
      const def = item.idCustomField ? customFields.get(item.idCustomField) : undefined;
      if (!def) continue;
      const text = customFieldText(def, item);
      if (mapping.customerName && def.name === mapping.customerName) {
        customer = text;
        continue;
      }
      const key = fields[def.name];
      const field = key ? wf.fields.find((f) => f.key === key) : undefined;
      if (!field) continue;
      const read = fieldValueOf(field, text, 'YYYY-MM-DD');
      if ('error' in read) errors.push(issue(row, def.name, text, read.error));
      else if (read.value !== undefined) values[field.key] = read.value;
    }
    for (const def of wf.fields)
      if (def.required && values[def.key] === undefined)
        errors.push(
          issue(
            row,
            def.label,
            null,
            `Card "${card.name}" has no ${def.label}, which workflow "${wf.key}" requires (map a custom field to it)`,
          ),
        );
    if (errors.length > before) continue;
    const last = entries[entries.length - 1]!;
    let end: OrderDraft['end'] = null;
    if (isFinalStage(wf, last.stage)) end = { state: 'completed', ms: last.ms, row };
    else if (current === CANCELLED) end = { state: 'cancelled', ms: cancelledMs ?? last.ms, row };
    else if (card.closed)
      end = { state: 'cancelled', ms: closedMs ?? (Number.isNaN(lastActivity) ? last.ms : Math.max(last.ms, lastActivity)), row };
    drafts.push({
      row,
      reference: card.id,
      title: (card.name ?? '').trim().slice(0, 500) || `Card ${card.id}`,
      customer: { name: (customer ?? b.name ?? 'Trello').trim() || 'Trello', email: null },
      dueDate: card.due ? (DateTime.fromISO(card.due).setZone(opts.zone).toISODate() ?? null) : null,
      priority: 'normal',
      fields: values,
      createdMs: null,
      entries,
      end,
      comments,
    });
  }
  return { drafts, rows: b.cards.length, errors, warnings, unmappedValues, mapping };
}
