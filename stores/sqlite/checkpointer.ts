/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that
 * crosses 1,000 WAL pages: that commit copies the pages into the database file and waits for an
 * fsync, and every conversation waits with it (better-sqlite3 is synchronous). Here the connection
 * the turns write through never checkpoints; a worker thread with its own connection to the same
 * file runs a PASSIVE checkpoint (it never blocks a writer) every `intervalMs`, and a RESTART one
 * (a short wait for the writer) when the log passes `restartPages`: the next commit writes from the
 * head of the file again, over pages already on disk, and the connection's `journal_size_limit`
 * caps the file at that size. (Writing into a reused log costs about a third less per commit than
 * growing a truncated one: the file system allocates no new blocks.) If the worker cannot start or
 * stops, the connection checkpoints by itself again, as SQLite does by default.
 * @example
 * const cp = startCheckpointer(db, { onFallback: (why) => log.warn({ why }, 'inline checkpoints') });
 * await cp.stop();   // before db.close()
 */
import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';

/** SQLite's own default: checkpoint in the commit that crosses this many WAL pages. */
const INLINE_AUTOCHECKPOINT_PAGES = 1000;

export interface CheckpointerOptions {
  /** How often the worker checkpoints (ms). Default 250. */
  intervalMs?: number;
  /** WAL pages past which the worker starts the log over with a RESTART checkpoint; also the file's size limit. Default 1500 (6 MiB). */
  restartPages?: number;
  /** How long a RESTART checkpoint waits for the writer and readers (ms). Default 500. */
  restartBusyMs?: number;
  /** The SQLite driver module the worker loads. Default: this process's better-sqlite3. */
  driver?: string;
  /** Told once when checkpoints move back into the commits (the worker failed or exited). */
  onFallback?: (why: string) => void;
}

export interface Checkpointer {
  /** 'worker' while the thread checkpoints, 'inline' after a fallback or stop. */
  readonly mode: 'worker' | 'inline';
  /** Stops the worker and leaves checkpoints to the connection (call before closing it). */
  stop(): Promise<void>;
}

// Plain JavaScript (no TypeScript loader in the thread); the driver's path comes from the parent.
// PASSIVE copies what it can without waiting; but under steady writes it never catches up with the
// last frame, so SQLite never starts the log over and the file only grows (512 MiB after 100,000
// conversations). Past restartPages a RESTART checkpoint waits (at most busyMs) for the writer,
// finishes the little PASSIVE left, and has the next writer start over at the head of the file.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
// The busy timeout serves RESTART only: SQLite never calls the busy handler for a PASSIVE checkpoint.
const db = new Database(workerData.path, { timeout: workerData.busyMs });
const run = (mode) => { try { return db.pragma('wal_checkpoint(' + mode + ')')[0]; } catch { return undefined; } };
const checkpoint = () => {
  const r = run('PASSIVE');
  if (r && r.log >= workerData.restartPages) run('RESTART');
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); checkpoint(); db.close(); process.exit(0); });
parentPort.postMessage('ready');
`;

/** Starts checkpointing `db` (a WAL file database) in a worker thread. */
export function startCheckpointer(db: Database.Database, opts: CheckpointerOptions = {}): Checkpointer {
  let mode: 'worker' | 'inline' = 'worker';
  let stopping = false;
  const inline = (why?: string) => {
    if (mode === 'inline') return;
    mode = 'inline';
    if (db.open) db.pragma(`wal_autocheckpoint = ${INLINE_AUTOCHECKPOINT_PAGES}`);
    if (why && !stopping) opts.onFallback?.(why);
  };
  const restartPages = opts.restartPages ?? 1500;
  db.pragma('wal_autocheckpoint = 0');
  // The writer that starts the log over cuts the file back to this at its next commit.
  db.pragma(`journal_size_limit = ${restartPages * (db.pragma('page_size', { simple: true }) as number)}`);
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: opts.driver ?? require.resolve('better-sqlite3'),
        path: db.name,
        intervalMs: opts.intervalMs ?? 250,
        restartPages,
        busyMs: opts.restartBusyMs ?? 500,
      },
    });
  } catch (err) {
    inline(`the checkpoint worker did not start: ${err instanceof Error ? err.message : String(err)}`);
    return { mode: 'inline', stop: async () => {} };
  }
  worker.unref();
  worker.on('error', (err) => inline(`the checkpoint worker failed: ${err.message}`));
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', (code) => {
      inline(`the checkpoint worker exited (code ${code})`);
      resolve();
    }),
  );
  return {
    get mode() {
      return mode;
    },
    async stop() {
      if (stopping) return exited;
      stopping = true;
      // Held while it stops: an unref'd worker would let a process with nothing else to do exit
      // in the middle of this await, with code 0 and the caller's next lines never run.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
