// The one way a screen loads what it shows: a GET now, again on `reload` and whenever the path changes.
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
  /** Asks again; what was shown stays until the new answer arrives. */
  readonly reload: () => void;
  /** Replaces what is shown (a change's answer), until the next load. */
  readonly setData: (data: T) => void;
}

interface Loaded<T> {
  readonly path: string | null;
  readonly data: T | null;
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
      if (answer.ok) setLoaded({ path, data: answer.data, problem: null });
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
    reload: () => setVersion((count) => count + 1),
    setData: (data) => setLoaded({ path, data, problem: null }),
  };
};
