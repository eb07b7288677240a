/** The MongoDB document of one stored record, its indexes, and the model on a given connection. */
import { type Connection, type Model, Schema } from 'mongoose';
import { KefuError } from '../../core';

export interface SessionDoc {
  _id: string;
  /**
   * The value as JSON text, not as a sub-document: every value round-trips exactly (keys with
   * dots or a leading $, numbers beyond int64), the same as the other stores; the store treats
   * values as opaque anyway.
   */
  value: string;
  version: number;
  updatedAt: Date;
  /** null when there is no TTL. The TTL index deletes the document once this date passes. */
  expiresAt: Date | null;
}

const COLLECTION_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,119}$/;

export function checkCollectionName(name: string): string {
  if (!COLLECTION_NAME.test(name) || name.startsWith('system.')) {
    throw new KefuError('KEFU_ERR_STORE_OPTIONS_INVALID', `MongoDB store collection must match ${COLLECTION_NAME} and not start with "system." (got "${name}").`);
  }
  return name;
}

function createSchema(collection: string): Schema<SessionDoc> {
  const schema = new Schema<SessionDoc>(
    {
      _id: { type: String, required: true },
      value: { type: String, required: true },
      version: { type: Number, required: true },
      updatedAt: { type: Date, required: true },
      expiresAt: { type: Date, default: null },
    },
    // Indexes are created by the store itself (see ensureIndexes), not as a side effect of compiling the model.
    { collection, versionKey: false, autoIndex: false, autoCreate: false, strict: 'throw' },
  );
  schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0, name: 'kefu_expires_at_ttl' });
  schema.index({ updatedAt: 1, _id: 1 }, { name: 'kefu_updated_at' });
  return schema;
}

/** One model per collection and connection, reused by every store opened on them. */
export function sessionModel(connection: Connection, collection: string): Model<SessionDoc> {
  const name = `kefu_store:${collection}`;
  const existing = connection.models[name];
  return (existing as Model<SessionDoc> | undefined) ?? connection.model<SessionDoc>(name, createSchema(collection), collection);
}
