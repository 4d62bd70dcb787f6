// Printing job travellers: the orders as the floor may read them, laid out as one PDF with a page each.
import type { PaperSize, Traveller } from '../domain/traveller.ts';
import { travellerOf } from '../domain/traveller.ts';
import type { Workflow } from '../domain/workflow.ts';
import type { Actor, AppContext } from './context.ts';
import { loadOrder, loadWorkflow } from './load.ts';
import { automationSettings } from './settings.ts';

/** At most this many orders in one PDF: 500 pages is a day's printing for a big plant, and stays a few MB. */
export const MAX_TRAVELLERS = 500;

export interface PrintedTravellers {
  pdf: Buffer;
  /** The order numbers and versions printed, in page order: for the log and the file name. */
  printed: Array<{ number: string; version: number }>;
}

/**
 * The travellers of `ids` (order ids or numbers) in that order, a repeated one once. Anyone who may read the
 * orders may print them; an unknown one refuses the whole print (404 naming it) rather than leave a page out.
 */
export async function printTravellers(
  app: AppContext,
  actor: Actor,
  ids: string[],
  paper: PaperSize,
): Promise<PrintedTravellers> {
  const db = app.db.kysely;
  const settings = await automationSettings(app);
  const now = app.clock.now();
  const workflows = new Map<string, Workflow>();
  const seen = new Set<string>();
  const travellers: Traveller[] = [];
  for (const idOrNumber of ids) {
    const order = await loadOrder(db, idOrNumber);
    if (seen.has(order.id)) continue;
    seen.add(order.id);
    let wf = workflows.get(order.workflow);
    if (!wf) {
      wf = await loadWorkflow(db, order.workflow);
      workflows.set(wf.key, wf);
    }
    travellers.push(
      travellerOf(order, wf, {
        publicUrl: settings.publicUrl,
        now,
        timeZone: settings.calendar.timeZone,
        printer: { role: actor.role, name: actor.name },
      }),
    );
  }
  // The PDF library loads on the first print, not at every start of the server or the CLI.
  const { travellersPdf } = await import('../print/traveller-pdf.ts');
  return {
    pdf: await travellersPdf(travellers, paper),
    printed: travellers.map((t) => ({ number: t.number, version: t.version })),
  };
}
