// First run: on a workspace with nobody in it, one setup makes the first admin, names the shop, sets its working
// calendar and its first workflow, all in one transaction; after that, setup is closed for good.
import { randomUUID } from 'node:crypto';
import { type BusinessCalendar, checkCalendar } from '../domain/calendar.ts';
import { blankWorkflow, findTemplate, WORKFLOW_TEMPLATES, type WorkflowTemplate } from '../domain/templates/index.ts';
import type { Workflow } from '../domain/workflow.ts';
import { countUsers, insertUser, type User } from '../store/access.ts';
import { isUniqueViolation } from '../store/db.ts';
import { appendEvents } from '../store/events.ts';
import { markSetupCompleted, setupCompleted } from '../store/invites.ts';
import { writeSettingRows } from '../store/settings.ts';
import { saveWorkflow } from '../store/workflows.ts';
import type { AppContext } from './context.ts';
import { MIN_PASSWORD_LENGTH, type Session, startSession } from './manage-access.ts';
import { type FieldError, Problem, validationFailed } from './problem.ts';
import { hashPassword } from './secrets.ts';
import { forgetSettings } from './settings.ts';

export const BLANK_TEMPLATE = 'blank';

export interface Setup {
  admin: { name: string; email: string; password: string };
  shopName: string;
  calendar: Omit<BusinessCalendar, 'holidays'>;
  /** A template's workflow key, or "blank". */
  template: string;
}

export interface SetupState {
  /** True until the first person exists: the web app shows setup instead of sign-in. */
  needed: boolean;
  templates: WorkflowTemplate[];
}

export async function setupState(app: AppContext): Promise<SetupState> {
  const needed = !(await setupCompleted(app.db.kysely)) && (await countUsers(app.db.kysely)) === 0;
  return { needed, templates: [...WORKFLOW_TEMPLATES] };
}

const closed = () => new Problem('setup-closed', 'This workspace is already set up: sign in, or ask an admin for an invite');

function checkSetup(input: Setup): void {
  const errors: FieldError[] = [];
  if (input.admin.password.length < MIN_PASSWORD_LENGTH) {
    errors.push({ path: 'admin.password', message: `must be at least ${MIN_PASSWORD_LENGTH} characters` });
  }
  const calendarProblem = checkCalendar({ ...input.calendar, holidays: [] });
  if (calendarProblem) errors.push({ path: 'calendar', message: calendarProblem });
  if (input.template !== BLANK_TEMPLATE && !findTemplate(input.template)) {
    errors.push({
      path: 'template',
      message: `must be one of ${[...WORKFLOW_TEMPLATES.map((t) => t.workflow.key), BLANK_TEMPLATE].join(', ')}`,
    });
  }
  if (errors.length) throw validationFailed(errors.map((e) => `${e.path} ${e.message}`).join('; '), errors);
}

/**
 * Sets the workspace up and signs its first admin in. Refused with `setup-closed` once anyone exists; of two
 * setups racing, the second's insert of the one setup row fails and everything it wrote is rolled back.
 */
export async function completeSetup(app: AppContext, input: Setup): Promise<{ session: Session; workflow: Workflow }> {
  checkSetup(input);
  if (!(await setupState(app)).needed) throw closed();
  const passwordHash = await hashPassword(input.admin.password);
  const at = app.clock.now().toISOString();
  const admin: User = {
    id: randomUUID(),
    email: input.admin.email.toLowerCase(),
    name: input.admin.name,
    role: 'admin',
    createdAt: at,
    disabledAt: null,
    twoFactor: false,
  };
  const def =
    input.template === BLANK_TEMPLATE ? blankWorkflow(`${input.shopName} orders`) : findTemplate(input.template)!.workflow;
  const workflow: Workflow = { ...structuredClone(def), version: 1 };
  const actor = { kind: 'user' as const, id: admin.id, name: admin.name };
  try {
    await app.db.kysely.transaction().execute(async (tx) => {
      await markSetupCompleted(tx, at, admin.id);
      // A user made some other way (the CLI, FLOORBOARD_ADMIN_EMAIL) closes setup too.
      if ((await countUsers(tx)) > 0) throw closed();
      await insertUser(tx, admin, passwordHash);
      await writeSettingRows(
        tx,
        { 'email.shopName': input.shopName, calendar: { ...input.calendar, holidays: [] } satisfies BusinessCalendar },
        at,
        admin.id,
      );
      await saveWorkflow(tx, workflow, at, admin.id);
      await appendEvents(tx, app.db.dialect, [
        {
          type: 'user.created',
          at,
          orderId: null,
          orderVersion: null,
          actor,
          data: { userId: admin.id, email: admin.email, name: admin.name, role: admin.role, setup: true },
        },
        {
          type: 'workspace.set_up',
          at,
          orderId: null,
          orderVersion: null,
          actor,
          data: { shopName: input.shopName, calendar: input.calendar, template: input.template },
        },
        { type: 'workflow.created', at, orderId: null, orderVersion: null, actor, data: { workflow } },
      ]);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw closed();
    throw err;
  }
  app.afterCommit?.();
  forgetSettings(app.db);
  return { session: await startSession(app, admin), workflow };
}
