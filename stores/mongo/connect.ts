/** Opening a mongoose connection with timeouts short enough for a chatbot turn. */
import mongoose, { type Connection } from 'mongoose';
import { KefuError } from '../../core/errors';

export interface MongoConnectOptions {
  /** How long to look for a usable server before an operation fails (ms). Default 5000. */
  serverSelectionTimeoutMS?: number;
  /** Default 10. */
  maxPoolSize?: number;
  /** How the driver watches the server: 'auto' (default), 'stream' or 'poll' (for servers without streaming heartbeats, such as the test wire server). */
  serverMonitoringMode?: 'auto' | 'poll' | 'stream';
}

/**
 * Connects and waits until the server answers, or throws KEFU_ERR_STORE_UNAVAILABLE (the URI's
 * password is not repeated). The caller closes the connection, or passes `ownsConnection: true`
 * to `createMongoData`.
 */
export async function connectMongo(uri: string, opts: MongoConnectOptions = {}): Promise<Connection> {
  const selectMs = opts.serverSelectionTimeoutMS ?? 5000;
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: selectMs,
    connectTimeoutMS: selectMs,
    socketTimeoutMS: 30_000,
    maxPoolSize: opts.maxPoolSize ?? 10,
    ...(opts.serverMonitoringMode ? { serverMonitoringMode: opts.serverMonitoringMode } : {}),
    // Fail fast instead of queueing operations for 10 s while the server is away: core retries.
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
  });
  try {
    return await connection.asPromise();
  } catch (err) {
    await connection.close().catch(() => undefined);
    const why = err instanceof Error ? err.message : String(err);
    throw new KefuError(
      'KEFU_ERR_STORE_UNAVAILABLE',
      `Cannot connect to MongoDB at ${redactUri(uri)} within ${selectMs} ms (${redactUri(why)}). Check MONGODB_URI and that the server is running, or unset MONGODB_URI to use the embedded SQLite store.`,
      { cause: err },
    );
  }
}

/** Hides the password of a mongodb:// URI (also when it appears inside an error message). */
export function redactUri(text: string): string {
  return text.replace(/(mongodb(?:\+srv)?:\/\/[^:/@\s]+):[^@\s]*@/g, '$1:***@');
}
