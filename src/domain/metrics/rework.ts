// Rework: how often orders go back to an earlier stage, and from which stage.
import type { WorkflowDefinition } from '../workflow.ts';
import type { StageDay } from './facts.ts';
import { type DateRange, inRange } from './range.ts';

export interface ReworkPath {
  from: string;
  to: string;
  count: number;
}

export interface ReworkFromStage {
  stage: string;
  label: string;
  /** Moves out of the stage in the period. */
  exits: number;
  /** Of which back to an earlier stage. */
  reworks: number;
  rate: number | null;
}

export interface ReworkReport {
  moves: number;
  reworks: number;
  /** Reworks per move out of a stage. */
  rate: number | null;
  stages: ReworkFromStage[];
  /** Most frequent first. */
  paths: Array<ReworkPath & { fromLabel: string; toLabel: string }>;
  /** Orders completed in the period, and how many of them went back at least once. */
  completed: number;
  completedWithRework: number;
  completedWithReworkRate: number | null;
}

export function reworkReport(
  wf: WorkflowDefinition,
  days: StageDay[],
  paths: ReworkPath[],
  completed: { completed: number; withRework: number },
  range: DateRange,
): ReworkReport {
  const label = (key: string) => wf.stages.find((s) => s.key === key)?.label ?? key;
  const stages = new Map<string, ReworkFromStage>(
    wf.stages.slice(0, -1).map((s) => [s.key, { stage: s.key, label: s.label, exits: 0, reworks: 0, rate: null }]),
  );
  for (const d of days) {
    const s = stages.get(d.stage);
    if (!s || !inRange(range, d.day)) continue;
    s.exits += d.exited;
    s.reworks += d.reworked;
  }
  let moves = 0;
  let reworks = 0;
  for (const s of stages.values()) {
    s.rate = s.exits ? s.reworks / s.exits : null;
    moves += s.exits;
    reworks += s.reworks;
  }
  return {
    moves,
    reworks,
    rate: moves ? reworks / moves : null,
    stages: [...stages.values()],
    paths: [...paths]
      .sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to))
      .map((p) => ({ ...p, fromLabel: label(p.from), toLabel: label(p.to) })),
    completed: completed.completed,
    completedWithRework: completed.withRework,
    completedWithReworkRate: completed.completed ? completed.withRework / completed.completed : null,
  };
}
