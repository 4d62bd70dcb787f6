// Every shipped workflow template is a workflow the API would accept, and specific enough to run a shop on.
import { describe, expect, it } from 'vitest';
import { WorkflowInput } from '../../http/schemas.ts';
import { checkWorkflowDefinition } from '../workflow.ts';
import { blankWorkflow, findTemplate, WORKFLOW_TEMPLATES } from './index.ts';

describe('workflow templates', () => {
  it('ships the five trades a new shop picks from', () => {
    expect(WORKFLOW_TEMPLATES.map((t) => t.trade)).toEqual([
      'Custom apparel',
      'Commercial print',
      'Signs and banners',
      'Furniture and joinery',
      'Machining job shop',
    ]);
    expect(findTemplate('custom-apparel')?.workflow.stages[1]?.label).toBe('Awaiting customer proof approval');
  });

  it.each(WORKFLOW_TEMPLATES.map((t) => [t.trade, t.workflow] as const))('%s is a valid workflow', (_trade, wf) => {
    expect(WorkflowInput.safeParse(wf).error?.issues ?? []).toEqual([]);
    expect(checkWorkflowDefinition(wf)).toEqual([]);
  });

  it.each(WORKFLOW_TEMPLATES.map((t) => [t.trade, t.workflow] as const))(
    '%s names every stage, owner, next action and what the customer sees, and says when each stalls',
    (_trade, wf) => {
      expect(wf.stages.length).toBeGreaterThanOrEqual(6);
      for (const [i, stage] of wf.stages.entries()) {
        expect(stage.label.length, stage.key).toBeGreaterThan(3);
        expect(stage.nextAction.split(' ').length, stage.key).toBeGreaterThanOrEqual(4);
        expect(stage.customerLabel, stage.key).toBeTruthy();
        // The final stage completes the order: nothing can stall there.
        if (i < wf.stages.length - 1) expect(stage.stallAfterHours, stage.key).toBeGreaterThan(0);
      }
      // Specific stages, not "Pending" and "In progress".
      expect(new Set(wf.stages.map((s) => s.label.toLowerCase())).size).toBe(wf.stages.length);
      expect(wf.stages.map((s) => s.label)).not.toContain('Pending');
      expect(new Set(wf.stages.map((s) => s.ownerRole)).size).toBeGreaterThanOrEqual(3);
      expect(wf.fields.length).toBeGreaterThanOrEqual(6);
      expect(wf.stages.some((s) => s.invoiceTrigger)).toBe(true);
    },
  );

  it('gives each template its own key and order prefix', () => {
    const keys = WORKFLOW_TEMPLATES.map((t) => t.workflow.key);
    const prefixes = WORKFLOW_TEMPLATES.map((t) => t.workflow.orderPrefix);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('starts a blank workflow as a valid one to build on', () => {
    const wf = blankWorkflow('Harbour Print Co orders');
    expect(WorkflowInput.safeParse(wf).error?.issues ?? []).toEqual([]);
    expect(checkWorkflowDefinition(wf)).toEqual([]);
  });
});
