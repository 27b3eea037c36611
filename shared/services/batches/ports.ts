// What the batches' use cases need besides the table: a store of files (blobs) for a batch's lines and its
// outgoing clearing file, so that no DynamoDB request grows with a batch's line count.

/** Files by key: S3 on AWS, a folder under the local stack's data directory, memory in tests. */
export interface BlobStore {
  /** Writes the whole file (replacing one of the same key). */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The whole file, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  /** Bytes `start` up to before `end` (fewer at the file's end), or undefined when there is no file. */
  getRange(key: string, start: number, end: number): Promise<Buffer | undefined>;
  delete(key: string): Promise<void>;
}

/** Where a batch's files live: its canonical lines, and once executed its clearing file. */
export const blobKeys = {
  lines: (contractId: string, batchId: string) => `batches/${contractId}/${batchId}/lines`,
  clearingFile: (contractId: string, batchId: string) => `batches/${contractId}/${batchId}/clearing-file`,
};
