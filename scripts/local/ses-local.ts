// A local SES endpoint (`aws-ses-v2-local`, in this process) that keeps every mail the service sends
// so a person can read it: a web page at its address, or `npm run mail`.
import sesLocalPackage from "aws-ses-v2-local";
import { freePort } from "./ports.ts";

// The package is CommonJS with `exports.default`: Node's ESM loader hands over the exports object.
const sesLocal =
  (sesLocalPackage as unknown as { default?: typeof sesLocalPackage }).default ?? sesLocalPackage;

export interface SesLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export const startSesLocal = async (port?: number): Promise<SesLocal> => {
  const chosen = port ?? (await freePort());
  const server = await sesLocal({ host: "127.0.0.1", port: chosen });
  return {
    endpoint: `http://127.0.0.1:${chosen}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
};
