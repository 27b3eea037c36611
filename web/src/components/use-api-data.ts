// The one way a screen loads what it shows: a GET (or a list the API pages) now, again on `reload` and
// whenever the path changes.
// Only the answer to the latest request of a mounted screen is kept — an earlier one arriving late is
// dropped, so a quick move between transfers never shows the previous one — and a refusal that ended the
// session (a stopped principal, a pending logon step) is handled by the session instead of the screen.
import { useEffect, useState } from "preact/hooks";
import { api, type ProblemDetails } from "../api.ts";
import { handleSessionProblem } from "../session.ts";

export interface ApiData<T> {
  /** The answer for the current path; null while it loads or when it was refused. */
  readonly data: T | null;
  readonly problem: ProblemDetails | null;
  readonly loading: boolean;
  /** When the shown answer arrived (ISO): the time a balance was read. */
  readonly readAt: string | null;
  /** Asks again; what was shown stays until the new answer arrives. */
  readonly reload: () => void;
  /** Replaces what is shown (a change's answer), until the next load. */
  readonly setData: (data: T) => void;
}

interface Loaded<T> {
  readonly path: string | null;
  readonly data: T | null;
  readonly readAt?: string | null;
  readonly problem: ProblemDetails | null;
}

/** GETs `path` (none while it is null). */
export const useApiData = <T>(path: string | null): ApiData<T> => {
  const [loaded, setLoaded] = useState<Loaded<T>>({ path: null, data: null, problem: null });
  const [loading, setLoading] = useState(path !== null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setLoading(true);
    void api.get<T>(path).then((answer) => {
      if (!live) return;
      setLoading(false);
      if (answer.ok) setLoaded({ path, data: answer.data, problem: null, readAt: new Date().toISOString() });
      else if (!handleSessionProblem(answer.problem))
        setLoaded((before) => ({
          path,
          data: before.path === path ? before.data : null,
          problem: answer.problem,
        }));
    });
    return () => {
      live = false;
    };
  }, [path, version]);
  // What was loaded for another path is never shown for this one.
  const current = loaded.path === path;
  return {
    data: current ? loaded.data : null,
    problem: current ? loaded.problem : null,
    loading: path !== null && (loading || !current),
    readAt: current && loaded.data !== null ? (loaded.readAt ?? null) : null,
    reload: () => setVersion((count) => count + 1),
    setData: (data) => setLoaded({ path, data, problem: null }),
  };
};

export interface PagedApiData<T> {
  /** The items of the pages read so far for the current path; null until its first page arrives. */
  readonly items: readonly T[] | null;
  readonly problem: ProblemDetails | null;
  readonly loading: boolean;
  /** Whether another page follows. */
  readonly hasMore: boolean;
  /** Reads the next page and adds its items. */
  readonly more: () => void;
  /** Reads the first page again, in place of all that was read. */
  readonly reload: () => void;
}

interface Pages<T> {
  readonly path: string;
  readonly items: readonly T[] | null;
  readonly cursor: string | null;
  readonly problem: ProblemDetails | null;
}

const withCursor = (path: string, cursor: string | null): string =>
  cursor === null ? path : `${path}${path.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(cursor)}`;

/**
 * A list the API pages with a `cursor` (transfers, an account's history, the audit log), read page by
 * page. As with `useApiData`, only the latest request's answer counts, and a page read for another path
 * (another account) is never added to this one's.
 */
export const usePagedApiData = <T>(path: string): PagedApiData<T> => {
  const [pages, setPages] = useState<Pages<T>>({ path, items: null, cursor: null, problem: null });
  const [loading, setLoading] = useState(true);
  // Each request takes a number; an answer whose number is not the latest is dropped.
  const [request, setRequest] = useState<{ path: string; cursor: string | null; serial: number }>({
    path,
    cursor: null,
    serial: 0,
  });
  const asked = request.path === path ? request : { path, cursor: null, serial: request.serial + 1 };
  useEffect(() => {
    let live = true;
    setLoading(true);
    void api.get<{ items: T[]; cursor?: string | null }>(withCursor(path, asked.cursor)).then((answer) => {
      if (!live) return;
      setLoading(false);
      if (answer.ok)
        setPages((before) => ({
          path,
          items:
            asked.cursor !== null && before.path === path
              ? [...(before.items ?? []), ...answer.data.items]
              : answer.data.items,
          cursor: answer.data.cursor ?? null,
          problem: null,
        }));
      else if (!handleSessionProblem(answer.problem))
        setPages((before) => ({
          ...(before.path === path ? before : { path, items: null, cursor: null }),
          problem: answer.problem,
        }));
    });
    return () => {
      live = false;
    };
  }, [path, asked.cursor, asked.serial]);
  const current = pages.path === path;
  return {
    items: current ? pages.items : null,
    problem: current ? pages.problem : null,
    loading: loading || !current,
    hasMore: current && pages.cursor !== null,
    more: () => {
      if (current && pages.cursor !== null)
        setRequest({ path, cursor: pages.cursor, serial: asked.serial + 1 });
    },
    reload: () => setRequest({ path, cursor: null, serial: asked.serial + 1 }),
  };
};
