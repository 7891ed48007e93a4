/**
 * The seed's exercises as one-click sweeps (the same sweeps as `nnlab sweep --preset`, defined in
 * src-main/lab/presets.ts; a test keeps the two equal — the renderer does not import lab code). Each pairs its configurations by seed (the lab gives
 * replicate r of every configuration the same init and data seeds), so the comparison it opens
 * answers the exercise's question with 20 seeds behind each number.
 */

export interface SweepDefinitionInput {
  name?: string;
  base: Record<string, unknown>;
  grid: Record<string, unknown[]>;
  replicates: number;
}

export interface Preset {
  id: string;
  title: string;
  question: string;
  sweep: SweepDefinitionInput;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'init-mean',
    title: 'init mean 0 vs −eps, relu, 20 seeds',
    question: '“Change the init mean from 0 to −eps: why do we sometimes get bad results?”',
    sweep: { name: 'Exercise 1: init mean 0 vs −eps (relu)', base: { activation: 'relu' }, grid: { initMean: [0, '-eps'] }, replicates: 20 },
  },
  {
    id: 'relu-vs-sigmoid',
    title: 'relu vs sigmoid, same steps, timed, 20 seeds',
    question: '“Try sigmoid instead of relu. What is the difference for the same number of steps? Time the learning too.”',
    sweep: { name: 'Exercise 2: relu vs sigmoid (same steps)', base: {}, grid: { activation: ['relu', 'sigmoid'] }, replicates: 20 },
  },
];

/** Number of runs a sweep creates: the product of the value counts times the replicates. */
export function sweepRunCount(grid: Record<string, readonly unknown[]>, replicates: number): number {
  let n = Math.max(0, Math.floor(replicates));
  for (const values of Object.values(grid)) n *= values.length;
  return n;
}
