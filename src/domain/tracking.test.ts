import { describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL as wf } from '../demo/custom-apparel.ts';
import { DEFAULT_CALENDAR } from './calendar.ts';
import {
  approvalOffer,
  changesReturnStage,
  customerNote,
  customerStatus,
  customerSteps,
  customerTimeline,
  deliveryEstimate,
} from './tracking.ts';
import { checkWorkflowDefinition, type WorkflowDefinition } from './workflow.ts';

const NOW = new Date('2026-11-24T09:00:00Z');
const london = { ...DEFAULT_CALENDAR, timeZone: 'Europe/London' };

const base = {
  state: 'active' as const,
  stage: 'on_press',
  stageEnteredAt: '2026-11-30T10:00:00Z',
  dueDate: '2026-12-18',
  completedAt: null,
  fields: {},
};

describe('the steps a customer sees', () => {
  it('uses the customer labels, and folds stages without one into the step before', () => {
    const small: WorkflowDefinition = {
      ...wf,
      stages: [
        { key: 'a', label: 'Intake', ownerRole: 'sales', nextAction: 'x' },
        { key: 'b', label: 'Checked', ownerRole: 'sales', nextAction: 'x', customerLabel: 'Being made' },
        { key: 'c', label: 'Internal QA', ownerRole: 'production', nextAction: 'x' },
        { key: 'd', label: 'Shipped', ownerRole: 'fulfillment', nextAction: 'x', customerLabel: 'On its way' },
      ],
    };
    expect(customerSteps(small)).toEqual([
      { label: 'We have your order', stages: ['a'] },
      { label: 'Being made', stages: ['b', 'c'] },
      { label: 'On its way', stages: ['d'] },
    ]);
    expect(customerStatus(small, { state: 'active', stage: 'c' })).toBe('Being made');
  });

  it('says "Cancelled" for a cancelled order and the last label for a completed one', () => {
    expect(customerStatus(wf, { state: 'cancelled', stage: 'on_press' })).toBe('Cancelled');
    expect(customerStatus(wf, { state: 'completed', stage: 'delivered' })).toBe('Delivered');
    expect(customerStatus(wf, { state: 'on_hold', stage: 'on_press' })).toBe('Being printed');
  });

  it('dates each step reached, in the shop time zone, and never runs backwards after rework', () => {
    const visits = [
      { stage: 'received', enteredAt: '2026-11-24T09:00:00Z' },
      { stage: 'proof_approval', enteredAt: '2026-11-25T23:30:00Z' },
      { stage: 'received', enteredAt: '2026-11-26T09:00:00Z' },
      { stage: 'proof_approval', enteredAt: '2026-11-27T09:00:00Z' },
      { stage: 'supplier_confirmation', enteredAt: '2026-11-28T09:00:00Z' },
    ];
    const steps = customerTimeline(
      wf,
      { ...base, stage: 'supplier_confirmation', stageEnteredAt: '2026-11-28T09:00:00Z' },
      visits,
      london,
    );
    expect(steps.slice(0, 4)).toEqual([
      { label: 'We have your order', state: 'done', reachedOn: '2026-11-26' },
      { label: 'Waiting for your proof approval', state: 'done', reachedOn: '2026-11-27' },
      { label: 'Sourcing your garments', state: 'current', reachedOn: '2026-11-28' },
      { label: 'Scheduled for production', state: 'upcoming', reachedOn: null },
    ]);
    // Sent back: what came after is upcoming again.
    const back = customerTimeline(
      wf,
      { ...base, stage: 'received', stageEnteredAt: '2026-11-26T09:00:00Z' },
      visits.slice(0, 3),
      london,
    );
    expect(back.map((s) => s.state).slice(0, 3)).toEqual(['current', 'upcoming', 'upcoming']);
    expect(back[1]!.reachedOn).toBeNull();
  });

  it('marks every step done once the order is complete', () => {
    const steps = customerTimeline(wf, { ...base, state: 'completed', stage: 'delivered' }, [], DEFAULT_CALENDAR);
    expect(steps.every((s) => s.state === 'done')).toBe(true);
  });
});

describe('the delivery date the customer is given', () => {
  it('gives one date when the forecast is sure, with the promised date beside it', () => {
    const d = deliveryEstimate(base, { p50: '2026-12-17', p85: '2026-12-17' }, DEFAULT_CALENDAR, NOW);
    expect(d).toMatchObject({ basis: 'forecast', from: '2026-12-17', to: null, promised: '2026-12-18' });
    // One sentence says which date holds: the promise, and what progress says of it.
    expect(d.text).toBe('We promised Friday 18 December; on current progress we expect Thursday 17 December.');
    expect(d.promisedText).toBe('That is on time.');
    expect(d.pastPromise).toBe(false);
  });

  it('says plainly when the expectation runs past the promise', () => {
    const maybe = deliveryEstimate(base, { p50: '2026-12-17', p85: '2026-12-22' }, DEFAULT_CALENDAR, NOW);
    expect(maybe.text).toBe(
      'We promised Friday 18 December; on current progress we expect between Thursday 17 December and Tuesday 22 December.',
    );
    expect(maybe.promisedText).toBe('It may be later than we promised. We will keep you posted.');
    expect(maybe.pastPromise).toBe(true);
    const late = deliveryEstimate(base, { p50: '2026-12-21', p85: '2026-12-23' }, DEFAULT_CALENDAR, NOW);
    expect(late.promisedText).toBe('That is later than we promised: we are sorry. We will keep you posted.');
    expect(late.pastPromise).toBe(true);
  });

  it('marks the steps a manager skipped as skipped, never dated', () => {
    const steps = customerTimeline(
      wf,
      { ...base, stage: 'scheduled', stageEnteredAt: '2026-11-27T10:00:00Z' },
      [
        { stage: 'received', enteredAt: '2026-11-26T09:00:00Z' },
        { stage: 'scheduled', enteredAt: '2026-11-27T10:00:00Z' },
      ],
      DEFAULT_CALENDAR,
    );
    expect(steps.slice(0, 5)).toEqual([
      { label: 'We have your order', state: 'done', reachedOn: '2026-11-26' },
      { label: 'Waiting for your proof approval', state: 'skipped', reachedOn: null },
      { label: 'Sourcing your garments', state: 'skipped', reachedOn: null },
      { label: 'Scheduled for production', state: 'current', reachedOn: '2026-11-27' },
      { label: 'Being printed', state: 'upcoming', reachedOn: null },
    ]);
  });

  it('gives a range when it is uncertain, across months and years too', () => {
    const unpromised = { ...base, dueDate: null };
    expect(deliveryEstimate(unpromised, { p50: '2026-12-17', p85: '2026-12-22' }, DEFAULT_CALENDAR, NOW).text).toBe(
      'Expected delivery: between Thursday 17 December and Tuesday 22 December',
    );
    expect(deliveryEstimate(unpromised, { p50: '2026-11-30', p85: '2026-12-03' }, DEFAULT_CALENDAR, NOW).text).toBe(
      'Expected delivery: between Monday 30 November and Thursday 3 December',
    );
    expect(deliveryEstimate(unpromised, { p50: '2026-12-30', p85: '2027-01-04' }, DEFAULT_CALENDAR, NOW).text).toBe(
      'Expected delivery: between Wednesday 30 December and Monday, 4 January 2027',
    );
  });

  it('falls back to the promised date without a forecast, and says nothing without either', () => {
    expect(deliveryEstimate(base, null, DEFAULT_CALENDAR, NOW)).toMatchObject({
      basis: 'promised',
      text: 'Promised delivery: Friday 18 December',
    });
    // On hold, nobody can forecast: the promise stands.
    expect(
      deliveryEstimate({ ...base, state: 'on_hold' }, { p50: '2026-12-01', p85: '2026-12-02' }, DEFAULT_CALENDAR, NOW).basis,
    ).toBe('promised');
    expect(deliveryEstimate({ ...base, dueDate: null }, null, DEFAULT_CALENDAR, NOW)).toMatchObject({
      basis: 'none',
      text: null,
    });
  });

  it('says when it was delivered, and nothing for a cancelled order', () => {
    const done = deliveryEstimate(
      { ...base, state: 'completed', completedAt: '2026-12-16T15:00:00Z' },
      null,
      DEFAULT_CALENDAR,
      NOW,
    );
    expect(done).toMatchObject({ basis: 'delivered', deliveredOn: '2026-12-16', text: 'Delivered: Wednesday 16 December' });
    expect(deliveryEstimate({ ...base, state: 'cancelled' }, null, DEFAULT_CALENDAR, NOW)).toMatchObject({
      basis: 'none',
      text: null,
      promised: null,
    });
  });
});

describe('customer approval', () => {
  const inProof = { ...base, stage: 'proof_approval' };

  it('offers Approve / Request changes only once the proof is there and the order is active', () => {
    expect(approvalOffer(wf, inProof)).toEqual({ proofUrl: null, canRespond: false });
    const ready = { ...inProof, fields: { proof_url: 'https://files.example/p.pdf' } };
    expect(approvalOffer(wf, ready)).toEqual({ proofUrl: 'https://files.example/p.pdf', canRespond: true });
    expect(approvalOffer(wf, { ...ready, state: 'on_hold' })).toEqual({
      proofUrl: 'https://files.example/p.pdf',
      canRespond: false,
    });
    expect(approvalOffer(wf, base)).toBeNull();
  });

  it('tells the customer what waits on them, and never the internal hold reason', () => {
    const ready = { ...inProof, fields: { proof_url: 'https://files.example/p.pdf' } };
    expect(customerNote(wf, ready, null)).toMatchObject({ kind: 'approval', text: 'We need your approval to go on.' });
    const held = customerNote(wf, { ...base, state: 'on_hold' }, 'Call us on 0161 496 0000');
    expect(held).toEqual({
      kind: 'on-hold',
      text: 'Your order is on hold for the moment.',
      action: 'We will be in touch before it continues. Questions? Call us on 0161 496 0000',
    });
    expect(customerNote(wf, base, null)).toBeNull();
  });

  it('sends change requests to the stage the workflow names, else the stage before', () => {
    const proof = wf.stages[1]!;
    expect(changesReturnStage(wf, proof)).toBe('received');
    expect(changesReturnStage(wf, { ...proof, changesReturnTo: undefined })).toBe('received');
  });

  it('refuses an approval stage without a proper proof field or return stage', () => {
    const broken: WorkflowDefinition = {
      ...wf,
      stages: wf.stages.map((s, i) =>
        i === 1 ? { ...s, proofField: 'quantity', changesReturnTo: 'on_press' } : i === 8 ? { ...s, customerApproval: true } : s,
      ),
    };
    expect(checkWorkflowDefinition(broken).map((p) => p.path)).toEqual([
      'stages.1.proofField',
      'stages.1.changesReturnTo',
      'stages.8.customerApproval',
    ]);
    const stray: WorkflowDefinition = {
      ...wf,
      stages: wf.stages.map((s, i) => (i === 3 ? { ...s, changesReturnTo: 'received' } : s)),
    };
    expect(checkWorkflowDefinition(stray)).toEqual([
      { path: 'stages.3.changesReturnTo', message: 'Only a customerApproval stage says where changes go back to' },
    ]);
    expect(checkWorkflowDefinition(wf)).toEqual([]);
  });
});
