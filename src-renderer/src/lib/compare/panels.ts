/**
 * The Compare page's panels, in page order: the one list that decides what the comparison
 * fetches (the union of the panels' `needs`, with what the findings read) and what it draws
 * (each panel's build, drawn by the component components/panels/index.ts maps its id to).
 * To add a panel: define it with panel() in a file of its own here, put it in PANELS where it
 * goes on the page, and give its id a component in components/panels/index.ts (ChartPanel for
 * one chart.js chart) — a missing component is a type error.
 */
import type { RunFacts } from '@main/analysis/findings';
import type { SeriesName } from '@main/db/types';
import { accuracyPanel, accuracyStripPanel, boundariesPanel, scoreLossPanel } from './classification';
import { costPanel } from './cost';
import { diagnosticsPanel } from './diagnostics';
import { fitsPanel, waitingPanel } from './fits';
import { gradNormsPanel } from './grad-norms';
import { learnedPanel } from './learned';
import { networkPanel } from './network';
import { pairedPanel } from './paired';
import { parallelPanel } from './parallel';
import { seriesNeeded } from './panel';
import { stripPanel } from './strip';
import { configDiffPanel, replicatesPanel, stabilityPanel } from './tables';
import { honestTimingPanel, timingPanel } from './timing';

export const PANELS = [
  costPanel,
  fitsPanel,
  boundariesPanel,
  learnedPanel,
  accuracyPanel,
  scoreLossPanel,
  waitingPanel,
  replicatesPanel,
  stabilityPanel,
  parallelPanel,
  pairedPanel,
  stripPanel,
  accuracyStripPanel,
  configDiffPanel,
  timingPanel,
  honestTimingPanel,
  gradNormsPanel,
  diagnosticsPanel,
  networkPanel,
] as const;

type Panel = (typeof PANELS)[number];
export type PanelId = Panel['id'];
/** What each panel's build gives its component, by id. */
export type PanelViews = { [P in Panel as P['id']]: NonNullable<ReturnType<P['build']>> };

/** The series the findings read (analysis/findings.ts RunFacts): every key, or a type error. */
const FINDINGS_READ: { [K in keyof RunFacts['series']]-?: true } = { cost: true, checkpointBatches: true, gradNorms: true, estimates: true, testTargets: true };
export const FINDINGS_SERIES = Object.keys(FINDINGS_READ) as SeriesName[];

/** Every stored series the comparison fetches for a finished run. */
export const COMPARE_SERIES: SeriesName[] = seriesNeeded([...PANELS, { needs: FINDINGS_SERIES }]);

