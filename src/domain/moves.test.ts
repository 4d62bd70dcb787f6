import { describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL as wf } from '../demo/custom-apparel.ts';
import { planMove } from './moves.ts';

const ready = {
  state: 'active' as const,
  stage: 'received',
  fields: { garment: 'Hoodie', quantity: 40, artwork_url: 'https://x.example/a.pdf' },
};

describe('planMove', () => {
  it('allows the stage owner to move to the next stage once its requirements are met', () => {
    expect(planMove(wf, ready, { to: 'proof_approval' }, 'sales')).toEqual({
      kind: 'forward',
      from: 'received',
      to: 'proof_approval',
      override: false,
      skipped: [],
    });
  });

  it('refuses to leave "Order received" while the artwork URL is empty', () => {
    const order = { ...ready, fields: { garment: 'Hoodie', quantity: 40, artwork_url: '  ' } };
    expect(planMove(wf, order, { to: 'proof_approval' }, 'sales')).toEqual({
      code: 'requirements-unmet',
      missing: ['artwork_url'],
      labels: ['Artwork URL'],
    });
  });

  it('counts an unticked checkbox as not filled', () => {
    const order = { state: 'active' as const, stage: 'proof_approval', fields: { proof_approved: false } };
    expect(planMove(wf, order, { to: 'supplier_confirmation' }, 'sales')).toMatchObject({
      code: 'requirements-unmet',
      missing: ['proof_approved'],
    });
  });

  it('lets managers and admins skip forward with a reason, as an override past requirements', () => {
    const bare = { state: 'active' as const, stage: 'received', fields: {} };
    expect(planMove(wf, bare, { to: 'on_press', reason: 'repeat order' }, 'manager')).toMatchObject({
      kind: 'skip',
      override: true,
      skipped: ['proof_approval', 'supplier_confirmation', 'scheduled'],
    });
    expect(planMove(wf, bare, { to: 'on_press', reason: '   ' }, 'admin')).toEqual({ code: 'reason-required', kind: 'skip' });
    expect(planMove(wf, bare, { to: 'on_press', reason: 'repeat' }, 'sales')).toMatchObject({ code: 'stage-skip-not-allowed' });
  });

  it('needs a reason to send an order back, and allows it to any earlier stage', () => {
    const onPress = { state: 'active' as const, stage: 'on_press', fields: {} };
    expect(planMove(wf, onPress, { to: 'received' }, 'production')).toEqual({ code: 'reason-required', kind: 'rework' });
    expect(planMove(wf, onPress, { to: 'received', reason: 'artwork wrong' }, 'production')).toMatchObject({
      kind: 'rework',
      override: false,
    });
  });

  it('refuses other roles, unknown stages, the current stage and inactive orders', () => {
    expect(planMove(wf, ready, { to: 'proof_approval' }, 'production')).toEqual({ code: 'not-stage-owner', ownerRole: 'sales' });
    expect(planMove(wf, ready, { to: 'painting' }, 'sales')).toEqual({ code: 'unknown-stage', stage: 'painting' });
    expect(planMove(wf, ready, { to: 'received' }, 'sales')).toEqual({ code: 'same-stage', stage: 'received' });
    for (const state of ['on_hold', 'cancelled', 'completed'] as const) {
      expect(planMove(wf, { ...ready, state }, { to: 'proof_approval' }, 'admin')).toEqual({ code: 'order-not-active', state });
    }
  });
});
