// Hash routes (`#/transfers/T123`): the console is one index.html, so CloudFront and `npm start` need
// no rewrite rules, and no route ever reaches a server log.
import { useEffect, useState } from "preact/hooks";

const currentPath = (): string => {
  const hash = globalThis.location?.hash ?? "";
  return hash.startsWith("#/") ? hash.slice(1) : "/";
};

export const navigate = (path: string): void => {
  globalThis.location.hash = path;
};

/**
 * Starts over at home without a history entry: a different principal signing on in this tab must not land
 * on the screen the previous one left (and a hash change would bring that screen back on "back").
 */
export const resetPath = (): void => {
  if (currentPath() !== "/") globalThis.history.replaceState(null, "", "#/");
};

export const usePath = (): string => {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    globalThis.addEventListener("hashchange", update);
    return () => globalThis.removeEventListener("hashchange", update);
  }, []);
  return path;
};

/** Matches `/transfers/:id` against a path; the parameters, or null. */
export const matchPath = (pattern: string, path: string): Record<string, string> | null => {
  const want = pattern.split("/").filter(Boolean);
  const have = path.split("/").filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [index, segment] of want.entries()) {
    const value = have[index] ?? "";
    if (segment.startsWith(":")) params[segment.slice(1)] = decodeURIComponent(value);
    else if (segment !== value) return null;
  }
  return params;
};
