// The blob store on AWS: one S3 bucket (encrypted, public access blocked, the data stack's), one object
// per key. Loaded with the first batch file read or written.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import type { BlobStore } from "#shared/services/batches/ports";

export const s3BlobStore = (bucket: string, region: string): BlobStore => {
  const s3 = new S3Client({ region });
  const read = async (key: string, range?: string): Promise<Buffer | undefined> => {
    try {
      const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));
      return answer.Body ? Buffer.from(await answer.Body.transformToByteArray()) : Buffer.alloc(0);
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      // A range wholly past the end of the object: nothing there.
      if ((error as { name?: string }).name === "InvalidRange") return Buffer.alloc(0);
      throw error;
    }
  };
  return {
    put: async (key, bytes) => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    },
    get: (key) => read(key),
    getRange: (key, start, end) =>
      end <= start ? Promise.resolve(Buffer.alloc(0)) : read(key, `bytes=${start}-${end - 1}`),
    delete: async (key) => {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
};
