// The console's entry: renders the shell into #app and starts watching the session's requests.
import { render } from "preact";
import { App } from "./app.tsx";
import { getLang } from "./i18n/index.ts";
import { watchSession } from "./session.ts";

document.documentElement.lang = getLang();
watchSession();
const root = document.getElementById("app");
if (root) render(<App />, root);
