// Every principal's own settings, open to the administrator and users alike.
import type { ConsoleRoute } from "../routes.ts";
import { CertificateScreen } from "./certificate.tsx";
import { PasskeysScreen } from "./passkeys.tsx";
import {
  ChannelsScreen,
  ConfirmationPinScreen,
  NotificationsScreen,
  OverviewScreen,
  PinScreen,
  StopMyLogonScreen,
  TokenScreen,
} from "./settings.tsx";

const everyone = () => true;

export const settingsRoutes: readonly ConsoleRoute[] = [
  {
    path: "/settings",
    component: OverviewScreen,
    nav: { ja: "設定の一覧", en: "All settings" },
    group: "settings",
    visible: everyone,
  },
  {
    path: "/settings/pin",
    component: PinScreen,
    nav: { ja: "暗証番号の変更", en: "Change PIN" },
    group: "settings",
    visible: everyone,
  },
  { path: "/settings/confirmation-pin", component: ConfirmationPinScreen, visible: everyone },
  { path: "/settings/notifications", component: NotificationsScreen, visible: everyone },
  { path: "/settings/channels", component: ChannelsScreen, visible: everyone },
  {
    path: "/settings/token",
    component: TokenScreen,
    nav: { ja: "トークン", en: "Token" },
    group: "settings",
    visible: everyone,
  },
  {
    path: "/settings/passkeys",
    component: PasskeysScreen,
    nav: { ja: "パスキー", en: "Passkeys" },
    group: "settings",
    visible: everyone,
  },
  {
    path: "/settings/certificate",
    component: CertificateScreen,
    nav: { ja: "電子証明書の更新", en: "Certificate renewal" },
    group: "settings",
    visible: (me) => me.contract.certificateRequired,
  },
  { path: "/settings/emergency-stop", component: StopMyLogonScreen, visible: everyone },
];
