/**
 * kefu's NLU: a calibrated TF-IDF + logistic-regression intent classifier on top of nlp.js's
 * normalising, tokenising and stemming, with en/zh entities and sentiment.
 * @example
 * const nlu = await createNluClassifier({ localesDir: 'locales', cacheDir: 'data/models' });
 * const c = await nlu.classify('where is my order 100234', 'en');
 * // c.intent === 'order.status', c.entities[0].value === '100234'
 */
import { type Classification, emptyClassification, type IntentClassifier, KefuError, type Locale, type Logger, silentLogger } from '../core';
import { classifyText, DEFAULT_THRESHOLD } from './classify';
import { loadCorpora, type TrainingExample, withBaseIntents } from './corpus';
import type { TrainJob } from './background-train';
import { type FaqTraining, mergeFaqExamples } from './faq-examples';
import { loadFaqFiles } from './faq-file';
import type { EntityOptions } from './entities';
import { type IntentModel, OUT_OF_SCOPE_LABELS, type TrainOptions, trainIntentModel } from './intent-model';
import { modelFile, modelHashOf, readCachedModel, writeCachedModel } from './model-cache';
import { getTextPipeline, type TextPipeline } from './text-pipeline';

export { classifyText, DEFAULT_THRESHOLD, rankIntents } from './classify';
export { type TrainJob, trainInWorker } from './background-train';
export { loadCorpora, parseCorpus, type TrainingExample, withBaseIntents } from './corpus';
export { type FaqTraining, mergeFaqExamples } from './faq-examples';
export { FAQ_INTENT, type FaqButton, type FaqEntry, faqEntrySchema, kbInvalid, loadFaqFiles, parseFaqEntry, parseFaqFile } from './faq-file';
export { type EntityOptions, findEntities } from './entities';
export { CLASSIFIER_VERSION, type IntentModel, OUT_OF_SCOPE_LABELS, predictIntent, type TrainOptions, trainIntentModel } from './intent-model';
export { deserializeModel, serializeModel } from './model-cache';
export { analyzeSentiment } from './sentiment';
export { getTextPipeline, type TextPipeline } from './text-pipeline';

export interface NluClassifier extends IntentClassifier {
  /** The intents the model of `locale` knows (sorted; None included when trained with oos rows). */
  intents(locale: Locale): string[];
  /** The hash of the corpus + classifier version the model of `locale` was trained from. */
  modelHash(locale: Locale): string;
  /** The locales that have a model. */
  locales(): Locale[];
}

export interface NluProgress {
  locale: string;
  done: number;
  total: number;
}

export interface NluClassifierOptions {
  localesDir: string;
  /**
   * A base corpus folder (kefu's kit: greetings, "talk to a person", cancel…): its intents are
   * trained too wherever the bot's corpora do not define them.
   */
  baseLocalesDir?: string;
  /** Where trained models are kept (the server passes `<DATA_DIR>/models`); no caching when unset. */
  cacheDir?: string;
  /** Calibrated probability under which the intent is None (default 0.5, NLU_THRESHOLD). */
  threshold?: number;
  log?: Logger;
  onProgress?: (p: NluProgress) => void;
  /** Clock and zone for date entities ("tomorrow"); defaults: the system's. */
  now?: () => Date;
  timeZone?: string;
  /** Training knobs (tests use fewer epochs); part of the model hash. */
  training?: Omit<TrainOptions, 'onProgress'>;
  /**
   * The knowledge base per locale, merged into the corpus. Default: `<localesDir>/<lang>/faq.json`
   * where it exists; the server passes the files with the console's edits applied.
   */
  faq?: ReadonlyMap<Locale, FaqTraining>;
  /** How a model is trained when none is cached (default: in-process; the server retrains with `trainInWorker`). */
  train?: ModelTrainer;
}

/** Trains one locale's model (the default trains in-process; `trainInWorker` off the main thread). */
export type ModelTrainer = (job: TrainJob, onProgress?: (done: number, total: number) => void) => Promise<IntentModel>;

const trainInProcess: ModelTrainer = async (job, onProgress) =>
  trainIntentModel(await getTextPipeline(), job.examples, job.locale, { ...job.training, ...(onProgress ? { onProgress } : {}) });

/** Each locale's training examples: its corpus with the knowledge base merged in (docs/knowledge-base.md). */
export function trainingSets(opts: Pick<NluClassifierOptions, 'localesDir' | 'baseLocalesDir' | 'faq'>): Map<Locale, TrainingExample[]> {
  const faq = opts.faq ?? new Map([...loadFaqFiles(opts.localesDir)].map(([locale, entries]) => [locale, { entries }]));
  const base = opts.baseLocalesDir ? loadCorpora(opts.baseLocalesDir) : undefined;
  const out = new Map<Locale, TrainingExample[]>();
  for (const [locale, corpus] of loadCorpora(opts.localesDir, base ? 1 : 2)) {
    const baseExamples = base?.get(locale)?.examples;
    const examples = baseExamples ? withBaseIntents(corpus.examples, baseExamples) : corpus.examples;
    const kb = faq.get(locale);
    out.set(locale, kb ? mergeFaqExamples(examples, kb) : examples);
  }
  return out;
}

async function loadOrTrain(locale: Locale, examples: TrainingExample[], opts: NluClassifierOptions, log: Logger): Promise<{ model: IntentModel; hash: string }> {
  const hash = modelHashOf(locale, examples, opts.training);
  const file = opts.cacheDir ? modelFile(opts.cacheDir, locale, hash) : undefined;
  const started = Date.now();
  let model = file ? readCachedModel(file) : undefined;
  const cached = model !== undefined;
  if (!model) {
    const train = opts.train ?? trainInProcess;
    model = await train({ locale, examples, ...(opts.training ? { training: opts.training } : {}) }, (done, total) => opts.onProgress?.({ locale, done, total }));
    if (file && opts.cacheDir) {
      try {
        writeCachedModel(file, opts.cacheDir, model);
      } catch (err) {
        // A read-only or full disk costs a retrain at the next start, not this start.
        log.warn({ locale, hash, err: (err as NodeJS.ErrnoException).code ?? String(err) }, 'nlu model cache not writable');
      }
    }
  }
  log.info({ locale, hash, cached, intents: model.classes.length, utterances: examples.length, ms: Date.now() - started }, 'nlu model ready');
  return { model, hash };
}

export async function createNluClassifier(opts: NluClassifierOptions): Promise<NluClassifier> {
  const log = opts.log ?? silentLogger;
  const pipeline = await getTextPipeline(opts.cacheDir ? { cacheDir: opts.cacheDir } : {});
  const models = new Map<Locale, { model: IntentModel; hash: string }>();
  for (const [locale, examples] of trainingSets(opts)) models.set(locale, await loadOrTrain(locale, examples, opts, log));
  return createModelClassifier(pipeline, models, opts);
}

/** A classifier over already trained models; a locale without one throws KEFU_ERR_NLU_MODEL_MISSING. */
export function createModelClassifier(
  pipeline: TextPipeline,
  models: ReadonlyMap<Locale, { model: IntentModel; hash: string }>,
  opts: Pick<NluClassifierOptions, 'threshold' | 'now' | 'timeZone'> = {},
): NluClassifier {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const get = (locale: Locale) => {
    const entry = models.get(locale);
    if (!entry) {
      const have = [...models.keys()].join(', ') || 'none';
      throw new KefuError('KEFU_ERR_NLU_MODEL_MISSING', `No intent model for locale "${locale}" (models: ${have}). Add locales/${locale}/corpus.json and run \`kefu train\`.`);
    }
    return entry;
  };
  return {
    async classify(text: string, locale: Locale): Promise<Classification> {
      const { model } = get(locale);
      if (!text.trim()) return emptyClassification();
      const entityOptions: EntityOptions = { now: opts.now?.() ?? new Date(), ...(opts.timeZone ? { timeZone: opts.timeZone } : {}) };
      return classifyText(model, pipeline, text, locale, threshold, entityOptions);
    },
    intents: (locale) => [...get(locale).model.classes],
    modelHash: (locale) => get(locale).hash,
    locales: () => [...models.keys()],
  };
}

/** True for gold labels that mean "out of scope" (`oos`, `None`). */
export function isOutOfScope(label: string): boolean {
  return OUT_OF_SCOPE_LABELS.has(label);
}
