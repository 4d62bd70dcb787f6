import { describe, expect, it } from 'vitest';
import { digestDay } from './digest.ts';
import { changeDelivery, DEFAULT_DELIVERY } from './notice-delivery.ts';

describe('digestDay', () => {
  it("is due from the reader's hour in the shop's time zone, for that local day", () => {
    // 06:59 and 07:00 in Chicago (UTC-6 in winter).
    expect(digestDay(new Date('2026-11-24T12:59:00Z'), 'America/Chicago', 7)).toBeNull();
    expect(digestDay(new Date('2026-11-24T13:00:00Z'), 'America/Chicago', 7)).toBe('2026-11-24');
    // 01:30 UTC on the 25th is still the evening of the 24th in Chicago.
    expect(digestDay(new Date('2026-11-25T01:30:00Z'), 'America/Chicago', 7)).toBe('2026-11-24');
    // Summer time moves the hour with it (UTC-5).
    expect(digestDay(new Date('2026-07-01T12:00:00Z'), 'America/Chicago', 7)).toBe('2026-07-01');
  });
});

describe('changeDelivery', () => {
  it('keeps a kind in one place: e-mailed at once, in the digest, or in the app only', () => {
    const digest = changeDelivery(DEFAULT_DELIVERY, { delivery: { overdue: 'digest', stalled: 'digest' } });
    expect(digest).toEqual({ emailKinds: ['escalated', 'at-risk'], digestKinds: ['stalled', 'overdue'], digestHour: 7 });
    expect(changeDelivery(DEFAULT_DELIVERY, { emailKinds: ['overdue'], digestKinds: ['overdue'] })).toEqual({
      code: 'kind-in-both',
      kinds: ['overdue'],
    });
    expect(changeDelivery(DEFAULT_DELIVERY, {})).toEqual({ code: 'nothing-to-change' });
  });
});
