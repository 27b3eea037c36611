// A blob store in memory: the tests', and the local stack's without a data directory.
import type { BlobStore } from "#shared/services/batches/ports";

export const memoryBlobStore = (): BlobStore & { readonly files: Map<string, Buffer> } => {
  const files = new Map<string, Buffer>();
  return {
    files,
    put: async (key, bytes) => {
      files.set(key, Buffer.from(bytes));
    },
    get: async (key) => files.get(key),
    getRange: async (key, start, end) => files.get(key)?.subarray(start, end),
    delete: async (key) => {
      files.delete(key);
    },
  };
};
