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
  { path: "/settings", component: OverviewScreen, nav: { ja: "設定", en: "Settings" }, visible: everyone },
  { path: "/settings/pin", component: PinScreen, visible: everyone },
  { path: "/settings/confirmation-pin", component: ConfirmationPinScreen, visible: everyone },
  { path: "/settings/notifications", component: NotificationsScreen, visible: everyone },
  { path: "/settings/channels", component: ChannelsScreen, visible: everyone },
  { path: "/settings/token", component: TokenScreen, visible: everyone },
  { path: "/settings/passkeys", component: PasskeysScreen, visible: everyone },
  {
    path: "/settings/certificate",
    component: CertificateScreen,
    visible: (me) => me.contract.certificateRequired,
  },
  { path: "/settings/emergency-stop", component: StopMyLogonScreen, visible: everyone },
];
