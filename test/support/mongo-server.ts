/**
 * A MongoDB server for the store tests. With MONGODB_URI set, that server (a real mongod); without
 * it, CongoDB, the in-memory MongoDB wire-protocol server inside @push.rocks/smartmongo 2.2.0
 * (devDependency), started in this process on a free port. CongoDB speaks OP_MSG to the official
 * driver and answers CRUD, findAndModify, aggregate, cursors and index commands, each command
 * atomically; it does not enforce unique indexes, expire TTL indexes, roll back transactions or
 * stream heartbeats (connect with `serverMonitoringMode: 'poll'`). See
 * /work/shared/notes/mongodb-wire-server.md.
 */
import { freePort } from './ports';

export interface MongoServerForTests {
  /** mongodb:// URI including the database to use. */
  uri: string;
  /** 'real': MONGODB_URI; 'wire': the in-process CongoDB. */
  kind: 'real' | 'wire';
  stop(): Promise<void>;
}

/** The database the wire server's URI names. */
const WIRE_DATABASE = 'kefu_test';

/** Starts CongoDB in memory on 127.0.0.1 (another free port if one was taken meanwhile). */
export async function startMongoWireServer(): Promise<{ uri: string; stop(): Promise<void> }> {
  // An ES module without an `exports` map: the deep import is the only way in to CongoDB alone.
  const congodb = await import('@push.rocks/smartmongo/dist_ts/congodb/index.js');
  let lastError: unknown;
  for (let tries = 0; tries < 5; tries++) {
    const port = await freePort();
    const server = new congodb.CongoServer({ host: '127.0.0.1', port, storage: 'memory' });
    try {
      await server.start();
      return { uri: `mongodb://127.0.0.1:${port}/${WIRE_DATABASE}`, stop: () => server.stop() };
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

/** The server the MongoDB tests run against: MONGODB_URI when set, else the wire server. */
export async function mongoForTests(): Promise<MongoServerForTests> {
  const uri = process.env.MONGODB_URI;
  if (uri) return { uri, kind: 'real', stop: async () => {} };
  const wire = await startMongoWireServer();
  return { ...wire, kind: 'wire' };
}
