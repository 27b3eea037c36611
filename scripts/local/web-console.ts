// Serves the built console (web/dist) beside the API, as CloudFront serves it on AWS: the same security
// headers, index.html never cached, hashed assets cached for good, nothing outside the build folder.
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { webSecurityHeaders } from "../../web/security-headers.ts";

export const webRoot = fileURLToPath(new URL("../../web", import.meta.url));
export const webDist = join(webRoot, "dist");

const contentTypes: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Builds the console for local use into web/dist (or `outDir`) with Vite (about a second), in the mode "local-server",
 * whose screens offer the command-line token simulator in place of the phone app.
 */
export const buildWebConsole = async (options: { outDir?: string } = {}): Promise<void> => {
  const { build } = await import("vite");
  await build({
    configFile: join(webRoot, "vite.config.ts"),
    mode: "local-server",
    logLevel: "warn",
    ...(options.outDir ? { build: { outDir: options.outDir, emptyOutDir: true } } : {}),
  });
};

/** The local gateway's `extras` for the console: answers GET and HEAD outside /v1 and /local. */
export const webConsoleExtras =
  (distDir: string = webDist) =>
  async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname.startsWith("/v1/") || url.pathname === "/v1" || url.pathname.startsWith("/local/"))
      return false;
    if (request.method !== "GET" && request.method !== "HEAD") return false;
    const root = resolve(distDir);
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname);
    } catch {
      relative = "\0";
    }
    const file = relative === "/" ? join(root, "index.html") : resolve(root, normalize(`.${relative}`));
    const inside = file.startsWith(root + sep) && !relative.includes("\0");
    const found = inside && existsSync(file) && (await stat(file)).isFile();
    if (!found) {
      const missingBuild = !existsSync(join(root, "index.html"));
      response.writeHead(404, { ...webSecurityHeaders, "Content-Type": "text/plain; charset=utf-8" });
      response.end(missingBuild ? "The console is not built: npm run build:web" : "Not found");
      return true;
    }
    const body = await readFile(file);
    const isIndex = file === join(root, "index.html");
    response.writeHead(200, {
      ...webSecurityHeaders,
      "Content-Type": contentTypes[extname(file)] ?? "application/octet-stream",
      "Content-Length": String(body.length),
      "Cache-Control": isIndex ? "no-cache" : "public, max-age=31536000, immutable",
    });
    response.end(request.method === "HEAD" ? undefined : body);
    return true;
  };
