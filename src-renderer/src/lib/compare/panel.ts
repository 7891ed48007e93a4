/**
 * What a Compare panel is: an id, the stored series it draws from, and a pure build from the
 * comparison's shared parts (./context.ts PanelContext) to what its view shows (null: nothing to
 * show for these runs). The registry (./panels.ts) lists the panels in page order; from it the
 * comparison fetches the union of their series (composables/useComparison.ts) and builds each
 * panel (./index.ts compare()), and CompareView draws each with the component its id maps to
 * (components/panels/index.ts). A table of plain objects, no class hierarchy.
 */
import type { SeriesName } from '@main/db/types';
import type { ChartModel } from '../chart-model';
import type { PanelContext } from './context';

export interface PanelDef<Id extends string = string, View = unknown> {
  /** Stable: the key of its view and of its component, the page order's name for it. */
  readonly id: Id;
  /** The stored series of each finished run it draws from (fetched for every compared run that has series). */
  readonly needs: readonly SeriesName[];
  /**
   * A statistic over all the compared runs (rates, maps, paired differences): not built while some
   * of the runs are still loading, where it would read as final.
   */
  readonly whole?: boolean;
  build(ctx: PanelContext): View | null;
}

/** Defines a panel, keeping its id's literal type and its view's type (the registry's types come from them). */
export function panel<const Id extends string, View>(def: PanelDef<Id, View>): PanelDef<Id, View> {
  return def;
}

/** The view of a panel that is one chart.js chart (components/panels/ChartPanel.vue draws it). */
export interface ChartView {
  model: ChartModel;
  /** Canvas height, px. */
  height: number;
  /** A line under the chart that says how to read it. */
  note?: string;
  /** The same chart of the other losses' runs, one per loss (lib/compare/parts.ts chartsByLoss), drawn under it. */
  more?: ChartView[];
}

/** The series the panels need, each once, in the order they first ask for them. */
export function seriesNeeded(panels: readonly { needs: readonly SeriesName[] }[]): SeriesName[] {
  return [...new Set(panels.flatMap((p) => p.needs))];
}
