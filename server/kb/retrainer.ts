/**
 * The classifier the engine holds, and its retraining in the background: turns keep going to the
 * current model while a new one trains (in a worker thread), then one assignment swaps it in. A
 * failed training keeps the old model and reports its error in the status. Requests that arrive
 * while a training runs are coalesced into one more training after it.
 */
import { asCodedError, type Classification, type Locale, type Logger } from '../../core';
import type { NluClassifier } from '../../intents';

export interface TrainingStatus {
  /** `fixed`: the classifier was given from outside (tests) and is never retrained. */
  state: 'ready' | 'training' | 'failed' | 'fixed';
  /** Edits asked for so far, and the newest one the answering model was trained with. */
  requested: number;
  trained: number;
  startedAt?: number;
  finishedAt?: number;
  /** The last failure (kept until a training succeeds). */
  error?: { code: string; message: string };
  /** Model hash per locale of the answering model. */
  models: Partial<Record<Locale, string>>;
}

export interface Retrainer {
  /** Delegates to whichever model is current at each call. */
  readonly classifier: NluClassifier;
  status(): TrainingStatus;
  /** Trains with what `build` reads now; resolves once a model including this request answers (or failed). */
  retrain(): Promise<void>;
}

function modelsOf(c: NluClassifier): Partial<Record<Locale, string>> {
  return Object.fromEntries(c.locales().map((l) => [l, c.modelHash(l)]));
}

/** A classifier that is never retrained (given in `AppOverrides`). */
export function fixedClassifier(classifier: NluClassifier | { classify(text: string, locale: Locale): Promise<Classification> }): Retrainer {
  const nlu: NluClassifier = 'modelHash' in classifier ? classifier : { classify: (t, l) => classifier.classify(t, l), intents: () => [], modelHash: () => '', locales: () => [] };
  return { classifier: nlu, status: () => ({ state: 'fixed', requested: 0, trained: 0, models: {} }), retrain: async () => {} };
}

export function createRetrainer(initial: NluClassifier, build: () => Promise<NluClassifier>, opts: { log: Logger; now: () => number }): Retrainer {
  let current = initial;
  let requested = 0;
  const status: TrainingStatus = { state: 'ready', requested: 0, trained: 0, models: modelsOf(initial) };
  let running: Promise<void> | undefined;

  async function trainOnce(upTo: number): Promise<void> {
    Object.assign(status, { state: 'training', startedAt: opts.now() });
    try {
      const next = await build();
      current = next; // the swap: the next classify() call uses the new model
      Object.assign(status, { state: 'ready', trained: upTo, finishedAt: opts.now(), models: modelsOf(next) });
      delete status.error;
      opts.log.info({ requested: upTo, models: status.models }, 'knowledge base model swapped in');
    } catch (err) {
      const coded = asCodedError(err);
      Object.assign(status, { state: 'failed', finishedAt: opts.now(), error: { code: coded.code, message: coded.message } });
      opts.log.error({ code: coded.code, requested: upTo }, 'knowledge base training failed; the previous model keeps answering');
    }
  }

  /** Trains until the newest request is covered, one training at a time. */
  function drain(): Promise<void> {
    running ??= (async () => {
      while (status.trained < requested && !(status.state === 'failed' && status.requested === requested)) {
        status.requested = requested;
        await trainOnce(requested);
      }
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    classifier: {
      classify: (text, locale) => current.classify(text, locale),
      intents: (locale) => current.intents(locale),
      modelHash: (locale) => current.modelHash(locale),
      locales: () => current.locales(),
    },
    status: () => structuredClone(status),
    async retrain() {
      requested += 1;
      const mine = requested;
      while (status.trained < mine) {
        await drain();
        if (status.state === 'failed' && status.requested >= mine) return;
      }
    },
  };
}
