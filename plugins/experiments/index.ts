/**
 * A/B experiments of bot versions (docs/experiments.md): declared in EXPERIMENTS_FILE or in the
 * console; variants of texts, dialogs, the NLU threshold and handoff rules; sticky hashed
 * assignment; per-variant analytics with intervals and significance tests.
 * @example
 * const experiments = createExperiments({ engine, fromFile: await loadExperimentsFile(config.EXPERIMENTS_FILE) });
 * await engine.register(experiments.plugin, undefined); // after the handoff plugin
 */
import type { Engine, Plugin } from '../../core';
import { counterScope, createExperimentsPlugin } from './plugin';
import { type ExperimentReport, experimentReport, type VariantCounters } from './report';
import type { Experiment } from './schema';
import { createExperimentStore, type ExperimentStore, type ExperimentView } from './store';

export interface Experiments {
  readonly store: ExperimentStore;
  readonly plugin: Plugin<void>;
  /** Every experiment with its status and per-variant analytics (counters flushed first). */
  list(): Promise<Array<ExperimentView & { report: ExperimentReport }>>;
}

export function createExperiments(opts: { engine: Engine; fromFile: readonly Experiment[]; refreshMs?: number }): Experiments {
  const { engine } = opts;
  const store = createExperimentStore({ engine, fromFile: opts.fromFile, ...(opts.refreshMs === undefined ? {} : { refreshMs: opts.refreshMs }) });

  async function countersOf(experimentId: string): Promise<Map<string, VariantCounters>> {
    const prefix = counterScope(experimentId, '');
    const rows = await engine.data.counters.range(prefix, `${prefix}\uffff`);
    return new Map(rows.map((r) => [r.scope.slice(prefix.length), r.values]));
  }

  return {
    store,
    plugin: createExperimentsPlugin(store),
    async list() {
      await engine.counters.flush();
      const views = await store.list({ fresh: true });
      return Promise.all(views.map(async (view) => ({ ...view, report: experimentReport(view.experiment, await countersOf(view.experiment.id)) })));
    },
  };
}

export { assignmentUnit, bucketOf, pickVariant } from './assign';
export { counterScope } from './plugin';
export type { ExperimentReport, VariantComparison, VariantFigures } from './report';
export { type Experiment, type ExperimentInput, loadExperimentsFile, parseExperiment, parseExperimentsFile, type Variant } from './schema';
export type { ExperimentState, ExperimentStatus, ExperimentStore, ExperimentView } from './store';
