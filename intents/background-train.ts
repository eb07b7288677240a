/**
 * Trains an intent model in a worker thread, so a retrain (a knowledge base edit) does not stall
 * the turns the current model is answering. Where no worker can start (no TypeScript loader for
 * the `.ts` worker file), it trains in-process after yielding once.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Locale } from '../core';
import type { TrainingExample } from './corpus';
import { type IntentModel, type TrainOptions, trainIntentModel } from './intent-model';
import { deserializeModel } from './model-cache';
import { getTextPipeline } from './text-pipeline';

export interface TrainJob {
  locale: Locale;
  examples: readonly TrainingExample[];
  training?: Omit<TrainOptions, 'onProgress'>;
}

type WorkerAnswer = { ok: true; model: string } | { ok: false; error: string };

function startWorker(job: TrainJob): Worker | undefined {
  const js = join(__dirname, 'train-worker.js');
  if (existsSync(js)) return new Worker(js, { workerData: job });
  const ts = join(__dirname, 'train-worker.ts');
  let loader: string;
  try {
    loader = require.resolve('tsx/cjs');
  } catch {
    return undefined;
  }
  return new Worker(`require(${JSON.stringify(loader)}); require(${JSON.stringify(ts)});`, { eval: true, workerData: job });
}

function answerOf(worker: Worker): Promise<WorkerAnswer> {
  return new Promise((resolve, reject) => {
    worker.once('message', (m: WorkerAnswer) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`training worker exited with code ${code}`)));
  });
}

async function trainHere(job: TrainJob): Promise<IntentModel> {
  await new Promise((r) => setImmediate(r));
  return trainIntentModel(await getTextPipeline(), job.examples, job.locale, job.training ?? {});
}

/** The trained model of `job`; rejects with the training error. */
export async function trainInWorker(job: TrainJob): Promise<IntentModel> {
  const worker = startWorker(job);
  if (!worker) return trainHere(job);
  try {
    const answer = await answerOf(worker);
    if (!answer.ok) throw new Error(answer.error);
    const model = deserializeModel(answer.model);
    if (!model) throw new Error('the training worker sent back a model that does not load');
    return model;
  } finally {
    void worker.terminate();
  }
}
