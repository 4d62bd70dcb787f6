import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUSTOM_APPAREL as wf } from '../demo/custom-apparel.ts';
import { DEFAULT_CALENDAR } from './calendar.ts';
import { flagJudge, flagsAt, stallHoursAt } from './order.ts';

const entered = '2026-11-24T09:00:00.000Z';
const at = (hours: number) => new Date(Date.parse(entered) + hours * 3_600_000);
const order = { state: 'active' as const, stage: 'received', stageEnteredAt: entered, dueDate: '2026-12-01' };

describe('flags at a moment', () => {
  it('stalls an order past its stage threshold and escalates it past twice that, counting working hours', () => {
    // The default calendar works Monday to Friday, 08:00 to 17:00 UTC; the order entered on Tuesday at 09:00.
    expect(flagsAt(order, wf, at(7.9))).toEqual([]);
    expect(flagsAt(order, wf, at(8))).toEqual(['stalled']);
    // Tuesday night does not count: 16 working hours are reached on Wednesday at 16:00, 31 hours after entry.
    expect(flagsAt(order, wf, at(16))).toEqual(['stalled']);
    expect(flagsAt(order, wf, at(30.9))).toEqual(['stalled']);
    expect(flagsAt(order, wf, at(31))).toEqual(['stalled', 'escalated']);
  });

  it('lets a stage count calendar hours when it says so', () => {
    const calendarHours = { ...wf, stages: wf.stages.map((s) => ({ ...s, stallHoursBasis: 'calendar' as const })) };
    expect(flagsAt(order, calendarHours, at(16))).toEqual(['stalled', 'escalated']);
  });

  it('does not stall an 8-hour stage over a weekend', () => {
    const friday = { ...order, stageEnteredAt: '2026-11-27T13:00:00.000Z' };
    // Four hours on Friday afternoon, four more on Monday morning.
    expect(flagsAt(friday, wf, new Date('2026-11-30T11:59:00Z'))).toEqual([]);
    expect(flagsAt(friday, wf, new Date('2026-11-30T12:00:00Z'))).toEqual(['stalled']);
  });

  it('never stalls an order in a stage without a threshold, or one on hold', () => {
    expect(flagsAt({ ...order, stage: 'delivered', dueDate: null }, wf, at(1000))).toEqual([]);
    expect(flagsAt({ ...order, state: 'on_hold' }, wf, at(20))).toEqual(['on-hold']);
  });

  it('marks an open order overdue the day after its due date, and never a finished one', () => {
    expect(flagsAt(order, wf, new Date('2026-12-01T23:59:00Z'))).not.toContain('overdue');
    expect(flagsAt({ ...order, stage: 'delivered' }, wf, new Date('2026-12-02T00:00:00Z'))).toEqual(['overdue']);
    expect(flagsAt({ ...order, state: 'completed' }, wf, new Date('2026-12-05T00:00:00Z'))).toEqual([]);
  });
});

describe('flags of a whole board at once', () => {
  // The board judges thousands of orders against per-stage cut-offs; each must get what its own stall clock says.
  it('stalls and escalates exactly the orders whose stall clock has reached the thresholds', () => {
    const stages = wf.stages.filter((s) => s.stallAfterHours);
    const instant = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) });
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 40 * 86_400_000 }),
        fc.constantFrom(...stages),
        fc.boolean(),
        (nowMs, ageMs, stage, calendarHours) => {
          const now = new Date(nowMs);
          const def = calendarHours ? { ...stage, stallHoursBasis: 'calendar' as const } : stage;
          const flow = { ...wf, stages: wf.stages.map((s) => (s.key === stage.key ? def : s)) };
          const o = {
            state: 'active' as const,
            stage: stage.key,
            stageEnteredAt: new Date(nowMs - ageMs).toISOString(),
            dueDate: null,
          };
          const hours = stallHoursAt(o, def, now, DEFAULT_CALENDAR);
          const flags = flagJudge(flow, now)(o);
          expect(flags.includes('stalled')).toBe(hours >= def.stallAfterHours!);
          expect(flags.includes('escalated')).toBe(hours >= 2 * def.stallAfterHours!);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
