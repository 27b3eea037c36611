// The console's entry: renders the shell into #app.
import { render } from "preact";
import { App } from "./app.tsx";
import { getLang } from "./i18n/index.ts";

document.documentElement.lang = getLang();
const root = document.getElementById("app");
if (root) render(<App />, root);
