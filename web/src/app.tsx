// The shell: logon and its pending steps when there is no full session, else the navigation of the
// screens this principal may use and the screen the hash names.
import { adminRoutes } from "./admin/routes.tsx";
import { setLang, useLang } from "./i18n/index.ts";
import { matchPath, usePath } from "./router.ts";
import type { ConsoleRoute } from "./routes.ts";
import { logout, useSession } from "./session.ts";
import { staffRoutes } from "./staff/routes.tsx";

const allRoutes: readonly ConsoleRoute[] = [...staffRoutes, ...adminRoutes];

export const App = () => {
  const session = useSession();
  const lang = useLang();
  const path = usePath();
  const me = session.me;
  const routes = me ? allRoutes.filter((route) => route.visible(me)) : [];
  const found = routes
    .map((route) => ({ route, params: matchPath(route.path, path) }))
    .find((candidate) => candidate.params !== null);
  return (
    <div class="shell">
      <header class="masthead">
        <span class="brand">
          {lang === "ja" ? "法人インターネットバンキング" : "Corporate Internet Banking"}
        </span>
        <button type="button" class="lang" onClick={() => setLang(lang === "ja" ? "en" : "ja")}>
          {lang === "ja" ? "English" : "日本語"}
        </button>
        {session.signedIn ? (
          <button type="button" onClick={() => void logout()}>
            {lang === "ja" ? "ログオフ" : "Log off"}
          </button>
        ) : null}
      </header>
      <nav>
        {routes
          .filter((route) => route.nav)
          .map((route) => (
            <a key={route.path} href={`#${route.path}`}>
              {route.nav?.[lang]}
            </a>
          ))}
      </nav>
      <main>{found?.params ? <found.route.component params={found.params} /> : null}</main>
    </div>
  );
};
