// A blob store in a local folder (the local stack's data directory): one file per key, written to a
// temporary name and renamed, so a reader never sees half a file.
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { BlobStore } from "#shared/services/batches/ports";

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";

export const folderBlobStore = (root: string): BlobStore => {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const path = resolve(join(base, key));
    // Keys are made of IDs the service checked; this guards the folder all the same.
    if (!path.startsWith(`${base}${sep}`)) throw new Error("a blob key outside the store");
    return path;
  };
  return {
    put: async (key, bytes) => {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    },
    get: async (key) => {
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
    },
    getRange: async (key, start, end) => {
      let file: Awaited<ReturnType<typeof open>>;
      try {
        file = await open(pathOf(key), "r");
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
      try {
        const buffer = Buffer.alloc(Math.max(0, end - start));
        const { bytesRead } = await file.read(buffer, 0, buffer.length, start);
        return buffer.subarray(0, bytesRead);
      } finally {
        await file.close();
      }
    },
    delete: async (key) => {
      await rm(pathOf(key), { force: true });
    },
  };
};
