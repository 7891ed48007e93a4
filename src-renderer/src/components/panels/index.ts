/**
 * How the Compare page draws each panel of the registry (lib/compare/panels.ts): the component
 * that takes the panel's view as its `view` prop, and whether it takes half the page's width
 * (consecutive panels of the same `row` share a row). A panel without an entry here is a type error.
 * ChartPanel draws any panel whose view is one chart (lib/compare/panel.ts ChartView).
 */
import type { Component } from 'vue';
import type { PanelId, PanelViews } from '../../lib/compare/panels';
import BoundariesPanel from './BoundariesPanel.vue';
import ChartPanel from './ChartPanel.vue';
import ConfigDiffPanel from './ConfigDiffPanel.vue';
import CostPanel from './CostPanel.vue';
import DiagnosticsPanel from './DiagnosticsPanel.vue';
import FitsPanel from './FitsPanel.vue';
import LearnedPanel from './LearnedPanel.vue';
import NetworkPanel from './NetworkPanel.vue';
import HonestTimingPanel from './HonestTimingPanel.vue';
import PairedComparisonPanel from './PairedComparisonPanel.vue';
import ParallelPanel from './ParallelPanel.vue';
import ReplicatesPanel from './ReplicatesPanel.vue';
import StabilityMapPanel from './StabilityMapPanel.vue';
import TimingPanel from './TimingPanel.vue';
import WaitingPanel from './WaitingPanel.vue';

export interface PanelComponent<View> {
  /** Takes the panel's view as its one prop, `view`. */
  component: Component<{ view: View }>;
  /** Half the page's width: consecutive panels of the same row share it. */
  row?: 'scores' | 'summary';
}

export const PANEL_COMPONENTS: { [Id in PanelId]: PanelComponent<PanelViews[Id]> } = {
  cost: { component: CostPanel },
  fits: { component: FitsPanel },
  boundaries: { component: BoundariesPanel },
  learned: { component: LearnedPanel },
  accuracy: { component: ChartPanel, row: 'scores' },
  'score-loss': { component: ChartPanel, row: 'scores' },
  waiting: { component: WaitingPanel },
  replicates: { component: ReplicatesPanel },
  stability: { component: StabilityMapPanel },
  parallel: { component: ParallelPanel },
  paired: { component: PairedComparisonPanel },
  strip: { component: ChartPanel, row: 'summary' },
  'accuracy-strip': { component: ChartPanel, row: 'summary' },
  'config-diff': { component: ConfigDiffPanel, row: 'summary' },
  timing: { component: TimingPanel },
  'honest-timing': { component: HonestTimingPanel },
  'grad-norms': { component: ChartPanel },
  diagnostics: { component: DiagnosticsPanel },
  network: { component: NetworkPanel },
};
