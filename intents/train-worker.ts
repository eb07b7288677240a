/**
 * Worker thread body of {@link trainInWorker}: trains one locale's model off the main thread and
 * posts it back serialized (exact float bytes), so the process keeps answering while it trains.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TrainJob } from './background-train';
import { trainIntentModel } from './intent-model';
import { serializeModel } from './model-cache';
import { getTextPipeline } from './text-pipeline';

async function run(job: TrainJob): Promise<void> {
  try {
    const pipeline = await getTextPipeline();
    const model = trainIntentModel(pipeline, job.examples, job.locale, job.training ?? {});
    parentPort?.postMessage({ ok: true, model: serializeModel(model) });
  } catch (err) {
    parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
}

void run(workerData as TrainJob);
