// The staff screens: home, accounts, transfers, signing and approval.
import type { ConsoleRoute } from "../routes.ts";
import { HomeScreen } from "./home.tsx";

export const staffRoutes: readonly ConsoleRoute[] = [
  { path: "/", component: HomeScreen, nav: { ja: "ホーム", en: "Home" }, visible: () => true },
];
