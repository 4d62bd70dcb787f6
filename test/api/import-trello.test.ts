// Importing Trello board exports: lists become stages, cards orders, and each card's stage history is the dates of its list moves in the file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, json, startHarness, writeCounts } from '../support/harness.ts';
import { type Loose, type TrelloBoard, trelloFixture, trelloListMoves } from '../support/import-files.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

type Board = TrelloBoard;

async function workflowFor(key: string, stages: string[]) {
  const res = await h.as('admin').post('/workflows', {
    key,
    name: key,
    orderPrefix: key.slice(0, 3).toUpperCase(),
    stages: stages.map((s) => ({
      key: s,
      label: s.replace(/_/g, ' '),
      ownerRole: 'production',
      nextAction: `Work on it (${s})`,
    })),
    fields: [],
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function orderIdOf(workflow: string, reference: string): Promise<string> {
  const row = await h.db.kysely
    .selectFrom('import_orders')
    .select('order_id')
    .where('workflow', '=', workflow)
    .where('reference', '=', reference)
    .executeTakeFirstOrThrow();
  return row.order_id;
}

const CASES = [
  {
    file: 'trello-notes-weekly-sprint-board-export.json',
    workflow: 'sprint',
    stages: ['backlog', 'this_week', 'working_on', 'on_hold', 'done'],
    lists: {
      Backlog: 'backlog',
      'This Week': 'this_week',
      'Working On': 'working_on',
      'On Hold': 'on_hold',
      Done: 'done',
      Removed: 'cancelled',
    },
  },
  {
    file: 'trello2planka-sample-board-export.json',
    workflow: 'planka',
    stages: ['brainstorm', 'todo', 'doing', 'done'],
    lists: {
      'BRAINSTORM 🤔': 'brainstorm',
      'TODO 📚': 'todo',
      'DOING ⚙️': 'doing',
      'DONE! 🙌🏽': 'done',
      'some archived list': 'ignore',
    },
  },
  { file: 'trello-notes-test-board-export.json', workflow: 'ab', stages: ['list_a', 'list_b'], lists: {} },
  { file: 'nextcloud-deck-data-trelloJson.json', workflow: 'deck', stages: ['todo', 'done'], lists: {} },
];

describe('Trello import', () => {
  for (const c of CASES) {
    it(`imports ${c.file}: every card an order whose stage history is its list moves, dated as in the file`, async () => {
      await workflowFor(c.workflow, c.stages);
      const board = trelloFixture(c.file) as Board;
      const stageOfList = (listId: string) => {
        const name = board.lists.find((l) => l.id === listId)!.name;
        return (c.lists as Record<string, string>)[name] ?? name.toLowerCase().replace(/ /g, '_');
      };
      const content = JSON.stringify(board);
      const dry = await h
        .as('manager')
        .post('/imports', { workflow: c.workflow, source: 'trello', content, mapping: { lists: c.lists }, dryRun: true });
      expect(dry.statusCode, dry.body).toBe(200);
      expect(json<Loose>(dry).errors).toEqual([]);
      const res = await h
        .as('manager')
        .post('/imports', { workflow: c.workflow, source: 'trello', content, mapping: { lists: c.lists }, fileName: c.file });
      expect(res.statusCode, res.body).toBe(201);
      const summary = json<Loose>(res);
      const kept = board.cards.filter((card) => stageOfList(card.idList) !== 'ignore');
      expect(summary.orders.created).toBe(kept.length);
      for (const card of kept) {
        const id = await orderIdOf(c.workflow, card.id);
        const order = json<Loose>(await h.as('viewer').get(`/orders/${id}`));
        const expected = trelloListMoves(board, card.id).map((m) => ({
          stage: stageOfList(m.list),
          enteredAt: m.at,
        }));
        expect(
          order.stageHistory.map((v: Loose) => ({ stage: v.stage, enteredAt: v.enteredAt })),
          card.name,
        ).toEqual(expected);
        expect(order.title).toBe(card.name.trim());
        const last = expected.at(-1)!.stage;
        expect(order.state, card.name).toBe(last === c.stages.at(-1) ? 'completed' : card.closed ? 'cancelled' : 'active');
        if (card.due) expect(order.dueDate).toBe(card.due.slice(0, 10));
        // Comments keep their date and their author's name.
        const comments = board.actions.filter((a) => a.type === 'commentCard' && a.data.card.id === card.id);
        const events = json<Loose>(await h.as('viewer').get(`/orders/${id}/events`)).items.filter(
          (e: Loose) => e.type === 'comment.added',
        );
        expect(events.map((e: Loose) => [e.data.body, e.data.author, e.at]).sort()).toEqual(
          comments
            .map((a) => [
              a.data.text,
              a.memberCreator?.fullName,
              new Date(Math.max(Date.parse(a.date), Date.parse(expected[0]!.enteredAt))).toISOString(),
            ])
            .sort(),
        );
      }
      expect(json<Loose>(await h.as('admin').get('/audit/verify')).ok).toBe(true);
      // The same export again changes nothing.
      const again = await h
        .as('manager')
        .post('/imports', { workflow: c.workflow, source: 'trello', content, mapping: { lists: c.lists } });
      expect(json<Loose>(again).orders).toEqual({ created: 0, updated: 0, unchanged: kept.length });
    });
  }

  it('names each list that matches no stage of the workflow, with the number of its cards', async () => {
    const board = trelloFixture('trello-notes-weekly-sprint-board-export.json') as Board;
    const dry = await h.as('manager').post('/imports', {
      workflow: 'ab',
      source: 'trello',
      content: JSON.stringify(board),
      mapping: { lists: { Backlog: 'list_a' } },
      dryRun: true,
    });
    const body = json<Loose>(dry);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ column: 'list', value: 'Done', message: expect.stringContaining('"Done" matches no stage') }),
      ]),
    );
    expect(body.unmappedValues.list).toMatchObject({
      Done: board.cards.filter((c) => c.idList === board.lists.find((l) => l.name === 'Done')!.id).length,
    });
  });

  it('refuses a Trello export of the wrong shape, and JSON that is no export at all, saying so', async () => {
    const before = await writeCounts(h.db);
    for (const content of ['{"name":"board","cards":{}}', '[1,2,3]', 'not json']) {
      const res = await h.as('manager').post('/imports', { workflow: 'sprint', source: 'trello', content });
      expect(res.statusCode).toBe(422);
      const problem = json<Loose>(res);
      expect(problem.type).toBe('import-invalid');
      expect(problem.errors[0].message).toMatch(/Trello board export|not JSON/);
    }
    expect(await writeCounts(h.db)).toEqual(before);
  });
});
