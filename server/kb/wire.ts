/**
 * Wires the knowledge base into the server (docs/knowledge-base.md): loads `locales/<lang>/faq.json`
 * and the console's saved edits, trains the classifier on both at start, and retrains in the
 * background after each edit (here or, through the cluster bus, on another instance).
 */
import { join } from 'node:path';
import { asCodedError, type Config, type Engine, type IntentClassifier, type Logger, type Repositories } from '../../core';
import { createNluClassifier, loadFaqFiles, type NluClassifier, trainInWorker } from '../../intents';
import { KIT_LOCALES_DIR } from '../../kit/dialogs';
import { createKnowledgeBase, type KnowledgeBase } from './knowledge-base';
import { knowledgeMiddleware } from './middleware';
import { createRetrainer, fixedClassifier, type Retrainer, type TrainingStatus } from './retrainer';

/** The part of the cluster bus the knowledge base uses (server/cluster). */
export interface KbBus {
  publish(topic: 'kb', payload: unknown): void;
  subscribe(topic: 'kb', handler: (payload: unknown) => void): void;
}

export interface KnowledgeService {
  readonly kb: KnowledgeBase;
  /** The engine's classifier: always the newest trained model. */
  readonly classifier: NluClassifier;
  status(): TrainingStatus;
  /** After an edit on this instance: retrain in the background and tell the other instances. */
  changed(): void;
  /** Re-reads the saved edits (another instance changed them) and retrains when the training changed. */
  reload(): Promise<void>;
  /** Resolves when the trainings asked for so far are done (tests, shutdown). */
  settled(): Promise<void>;
  /** Answers FAQ turns from this knowledge base; with a bus, shares edits with the other instances. */
  attach(engine: Engine, bus?: KbBus): void;
}

type KbConfig = Pick<Config, 'LOCALES_DIR' | 'DATA_DIR' | 'NLU_THRESHOLD'>;

/** `routed`: the intents some dialog answers (the others, added in the console, are answered by the middleware). */
export async function wireKnowledgeBase(
  config: Readonly<KbConfig>,
  data: Repositories,
  log: Logger,
  routed: ReadonlySet<string>,
  fixed?: IntentClassifier,
): Promise<KnowledgeService> {
  const now = Date.now;
  const kb = createKnowledgeBase({ files: loadFaqFiles(config.LOCALES_DIR), data, now });
  await kb.reload(); // the console's edits override the files from the start
  const nlu = (train?: typeof trainInWorker) =>
    createNluClassifier({
      localesDir: config.LOCALES_DIR,
      baseLocalesDir: KIT_LOCALES_DIR, // what every bot understands (kit/locales)
      cacheDir: join(config.DATA_DIR, 'models'),
      threshold: config.NLU_THRESHOLD,
      log,
      faq: kb.training(),
      ...(train ? { train } : {}),
    });
  const retrainer: Retrainer = fixed ? fixedClassifier(fixed) : createRetrainer(await nlu(), () => nlu(trainInWorker), { log, now });
  let pending: Promise<void> = Promise.resolve();
  let bus: KbBus | undefined;

  const retrain = () => {
    pending = retrainer.retrain().catch((err: unknown) => log.error({ code: asCodedError(err).code }, 'knowledge base retraining failed'));
    return pending;
  };
  const service: KnowledgeService = {
    kb,
    classifier: retrainer.classifier,
    status: () => retrainer.status(),
    changed() {
      void retrain();
      bus?.publish('kb', { changed: true });
    },
    async reload() {
      if (await kb.reload()) await retrain();
    },
    settled: () => pending,
    attach(engine, withBus) {
      engine.use(knowledgeMiddleware(kb, routed));
      bus = withBus;
      bus?.subscribe('kb', () => {
        service.reload().catch((err: unknown) => log.error({ code: asCodedError(err).code }, 'knowledge base reload failed'));
      });
    },
  };
  return service;
}
