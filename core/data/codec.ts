/**
 * How a backend turns a record's JSON into stored text and back. The default keeps JSON as it is;
 * `stores/encrypted` seals it with AES-256-GCM (KEFU_ENCRYPTION_KEY). Only the JSON body passes
 * through the codec: the columns a repository sorts and filters on (keys, states, times) stay
 * readable, so indexes work on encrypted data too.
 */
import { KefuError } from '../errors';

export interface ValueCodec {
  /** 'plain' or the cipher's name, for logs and /healthz. */
  readonly name: string;
  /** The text to store for `json`. `aad` names the record (kind and id): a sealed value copied onto another record does not open. */
  seal(aad: string, json: string): string;
  /** The JSON back; throws KEFU_ERR_STORE_DECRYPT_FAILED when it does not open (wrong key, altered bytes). */
  open(aad: string, stored: string): string;
}

/** The prefix every sealed value starts with (`stores/encrypted`). */
export const SEALED_PREFIX = 'kefu:v';

export const plainCodec: ValueCodec = {
  name: 'plain',
  seal: (_aad, json) => json,
  open(aad, stored) {
    // Read without a key, a sealed value would look corrupt and be replaced: refuse it instead.
    if (stored.startsWith(SEALED_PREFIX)) {
      throw new KefuError('KEFU_ERR_STORE_DECRYPT_FAILED', `Record ${aad} is encrypted, but no KEFU_ENCRYPTION_KEY is set; set the key it was written with.`);
    }
    return stored;
  },
};
