// The shell: logon and its pending steps when there is no full session, else the menu of the screens this
// principal may use, grouped (照会 / 振込 / 承認 / 管理 / 設定), and the screen the hash names. The language
// switch is on every screen; the page's title is the screen's heading and the bank's name (WCAG 2.4.2).
import { useEffect, useId, useLayoutEffect, useRef, useState } from "preact/hooks";
import { adminRoutes } from "./admin/routes.tsx";
import { bankName } from "./bank.ts";
import { IdleWarning } from "./components/idle-warning.tsx";
import { shellMessages } from "./i18n/common.ts";
import { setLang, useLang, useT } from "./i18n/index.ts";
import { LogonFlow } from "./logon/index.tsx";
import { matchPath, usePath } from "./router.ts";
import { type ConsoleRoute, menuGroups } from "./routes.ts";
import { logout, refreshMe, useSession } from "./session.ts";
import { staffRoutes } from "./staff/routes.tsx";

const allRoutes: readonly ConsoleRoute[] = [...staffRoutes, ...adminRoutes];

/**
 * Keeps the document's title to the screen's first heading and the bank's name, whatever screen shows and
 * whenever its heading changes (a screen that loads, the language switched): one rule for every screen,
 * those added later included. The watcher of a new language replaces the old one as the switched screen
 * is drawn (a layout effect): one that waited for the next paint let the old watcher title the new heading
 * with the old language's bank name.
 */
const usePageTitle = () => {
  const t = useT(shellMessages);
  const lang = useLang();
  useLayoutEffect(() => {
    const bank = bankName[lang];
    const update = () => {
      const screen = document.querySelector("main h1")?.textContent?.trim();
      const title = screen ? t("pageTitle", { screen, bank }) : t("brand", { bank });
      if (document.title !== title) document.title = title;
    };
    update();
    const observer = new MutationObserver(update);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, [lang]);
};

const Masthead = ({
  onMenu,
  menuOpen,
  navId,
}: {
  onMenu?: () => void;
  menuOpen?: boolean;
  navId?: string;
}) => {
  const t = useT(shellMessages);
  const lang = useLang();
  const session = useSession();
  return (
    <header class="masthead">
      <span class="brand">
        <span class="bank">{bankName[lang]}</span> <span class="service">{t("service")}</span>
      </span>
      {session.me ? (
        <span class="who" data-testid="signed-in-as">
          {t("signedInAs", { name: session.me.name || session.me.userId || "" })}
        </span>
      ) : null}
      <button
        type="button"
        class="lang"
        lang={lang === "ja" ? "en" : "ja"}
        aria-label={t("switchLanguageLabel")}
        data-testid="switch-language"
        onClick={() => setLang(lang === "ja" ? "en" : "ja")}
      >
        {t("switchLanguage")}
      </button>
      {onMenu ? (
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls={navId}
          onClick={onMenu}
        >
          {t("menu")}
        </button>
      ) : null}
      {session.signedIn ? (
        <button type="button" class="logoff" onClick={() => void logout()}>
          {t("logoff")}
        </button>
      ) : null}
    </header>
  );
};

const SignedInShell = () => {
  const t = useT(shellMessages);
  const lang = useLang();
  const session = useSession();
  const path = usePath();
  const navId = useId();
  const mainRef = useRef<HTMLElement>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const me = session.me;
  useEffect(() => {
    if (!me) void refreshMe();
  }, [me === null]);
  useEffect(() => {
    setMenuOpen(false);
    mainRef.current?.focus();
  }, [path]);
  if (!me) {
    return (
      <div class="shell">
        <Masthead />
        <main>
          <p role="status">{t("loading")}</p>
        </main>
      </div>
    );
  }
  const routes = allRoutes.filter((route) => route.visible(me));
  const found = routes
    .map((route) => ({ route, params: matchPath(route.path, path) }))
    .find((candidate) => candidate.params !== null);
  // The navigation entry of this screen: the one it says it is under, else the longest one whose path
  // starts the current path.
  const navPath = found?.route.under ?? path;
  const currentNav = routes
    .filter((route) => route.nav)
    .filter((route) =>
      route.path === "/" ? navPath === "/" : navPath === route.path || navPath.startsWith(`${route.path}/`),
    )
    .sort((a, b) => b.path.length - a.path.length)[0];
  const current = (route: ConsoleRoute) => route === currentNav;
  const entries = (group: ConsoleRoute["group"]) =>
    routes.filter((route) => route.nav && route.group === group);
  const link = (route: ConsoleRoute) => (
    <li key={route.path}>
      <a href={`#${route.path}`} aria-current={current(route) ? "page" : undefined}>
        {route.nav?.[lang]}
      </a>
    </li>
  );
  return (
    <div class="shell">
      <Masthead onMenu={() => setMenuOpen(!menuOpen)} menuOpen={menuOpen} navId={navId} />
      <div class="body">
        <nav id={navId} class={menuOpen ? "nav open" : "nav"} aria-label={t("navigation")}>
          <ul>
            {entries(undefined).map(link)}
            {menuGroups
              .filter((group) => entries(group).length > 0)
              .map((group) => (
                <li key={group} class="nav-group">
                  <span class="nav-group-title" id={`${navId}-${group}`}>
                    {t(`group-${group}`)}
                  </span>
                  <ul aria-labelledby={`${navId}-${group}`}>{entries(group).map(link)}</ul>
                </li>
              ))}
          </ul>
        </nav>
        <main id="main" ref={mainRef} tabIndex={-1}>
          {found?.params ? <found.route.component params={found.params} /> : <p>{t("notFound")}</p>}
        </main>
      </div>
      <IdleWarning />
    </div>
  );
};

export const App = () => {
  const session = useSession();
  usePageTitle();
  if (session.signedIn && session.pending === null) return <SignedInShell />;
  return (
    <div class="shell">
      <Masthead />
      <main id="main">
        <LogonFlow />
      </main>
      {session.signedIn ? <IdleWarning /> : null}
    </div>
  );
};
