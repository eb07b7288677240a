/**
 * Which experiments exist and where each stands: the file's (EXPERIMENTS_FILE, read at start) and
 * the console's (kept in `data.meta`), with their state (running, stopped, rolled out) in the same
 * meta record, changed by compare-and-set so two instances or two supervisors never overwrite each
 * other. Turns read a copy that is at most `refreshMs` old (every instance sees a stop within it).
 */
import { type Engine, KefuError } from '../../core';
import { type Experiment, parseExperiment } from './schema';

export type ExperimentState = 'running' | 'stopped' | 'rolled-out';

export interface ExperimentStatus {
  state: ExperimentState;
  /** The variant everyone gets (rolled out). */
  variant?: string;
  /** Who changed the state last, and when (ms). */
  by?: string;
  at?: number;
}

export interface CreatedExperiment {
  experiment: Experiment;
  by: string;
  at: number;
}

export interface ExperimentsRecord {
  created: CreatedExperiment[];
  status: Record<string, ExperimentStatus>;
}

export interface ExperimentView {
  experiment: Experiment;
  source: 'file' | 'console';
  status: ExperimentStatus;
}

export interface ExperimentStore {
  /** Every experiment with its status, file ones first (a copy at most `refreshMs` old). */
  list(opts?: { fresh?: boolean }): Promise<ExperimentView[]>;
  create(input: unknown, by: string): Promise<ExperimentView>;
  stop(id: string, by: string): Promise<ExperimentView>;
  rollOut(id: string, variant: string, by: string): Promise<ExperimentView>;
}

const META_NAME = 'experiments';
const MAX_ATTEMPTS = 5;
const EMPTY: ExperimentsRecord = { created: [], status: {} };

export function createExperimentStore(opts: { engine: Pick<Engine, 'data' | 'now'>; fromFile: readonly Experiment[]; refreshMs?: number }): ExperimentStore {
  const { engine, fromFile } = opts;
  const refreshMs = opts.refreshMs ?? 2000;
  let cached: { at: number; views: Promise<ExperimentView[]> } | undefined;

  const viewsOf = (record: ExperimentsRecord): ExperimentView[] => [
    ...fromFile.map((experiment) => ({ experiment, source: 'file' as const, status: record.status[experiment.id] ?? { state: 'running' as const } })),
    ...record.created.map((c) => ({ experiment: c.experiment, source: 'console' as const, status: record.status[c.experiment.id] ?? { state: 'running' as const } })),
  ];

  async function read(): Promise<{ record: ExperimentsRecord; version: number }> {
    const stored = await engine.data.meta.get<ExperimentsRecord>(META_NAME);
    return stored ? { record: stored.value, version: stored.version } : { record: structuredClone(EMPTY), version: 0 };
  }

  /** Applies `change` to the stored record with the version check, retrying when another write won. */
  async function update(change: (r: ExperimentsRecord) => void): Promise<ExperimentsRecord> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const { record, version } = await read();
      change(record);
      if ((await engine.data.meta.put(META_NAME, record, version)) === 'ok') {
        cached = undefined;
        return record;
      }
    }
    throw new KefuError('KEFU_ERR_EXPERIMENT_CONFLICT', `The experiments kept changing under ${MAX_ATTEMPTS} attempts; reload and try again.`);
  }

  function find(record: ExperimentsRecord, id: string): ExperimentView {
    const view = viewsOf(record).find((v) => v.experiment.id === id);
    if (!view) throw new KefuError('KEFU_ERR_EXPERIMENT_NOT_FOUND', `No experiment has the id "${id}"; list them with GET /console/api/experiments.`);
    return view;
  }

  function running(record: ExperimentsRecord, id: string): ExperimentView {
    const view = find(record, id);
    if (view.status.state !== 'running') throw new KefuError('KEFU_ERR_EXPERIMENT_CONFLICT', `Experiment "${id}" is ${view.status.state} already; that is final.`);
    return view;
  }

  return {
    async list(listOpts = {}) {
      const now = engine.now();
      if (!listOpts.fresh && cached && now - cached.at < refreshMs) return cached.views;
      const views = read().then(({ record }) => viewsOf(record));
      cached = { at: now, views };
      views.catch(() => {
        if (cached?.views === views) cached = undefined; // a store hiccup is not remembered
      });
      return views;
    },
    async create(input, by) {
      const experiment = parseExperiment(input);
      const record = await update((r) => {
        if (viewsOf(r).some((v) => v.experiment.id === experiment.id))
          throw new KefuError('KEFU_ERR_EXPERIMENT_CONFLICT', `An experiment with the id "${experiment.id}" exists already; pick another id.`);
        r.created.push({ experiment, by, at: engine.now() });
      });
      return find(record, experiment.id);
    },
    async stop(id, by) {
      const record = await update((r) => {
        running(r, id);
        r.status[id] = { state: 'stopped', by, at: engine.now() };
      });
      return find(record, id);
    },
    async rollOut(id, variant, by) {
      const record = await update((r) => {
        const view = running(r, id);
        if (!view.experiment.variants.some((v) => v.id === variant))
          throw new KefuError(
            'KEFU_ERR_EXPERIMENT_NOT_FOUND',
            `Experiment "${id}" has no variant "${variant}"; its variants are ${view.experiment.variants.map((v) => v.id).join(', ')}.`,
          );
        r.status[id] = { state: 'rolled-out', variant, by, at: engine.now() };
      });
      return find(record, id);
    },
  };
}
