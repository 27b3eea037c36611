// The administrator's screens: users, certificates, approval policy, audit log, emergency stop; and the personal
// settings every principal has.
import "./admin.css";
import type { ConsoleRoute } from "../routes.ts";
import type { Me } from "../session.ts";
import { settingsRoutes } from "../settings/routes.tsx";
import { ApprovalPolicyScreen } from "./approval-policy.tsx";
import { AuditScreen } from "./audit.tsx";
import { CertificatesScreen } from "./certificates.tsx";
import { ContractStopScreen } from "./emergency-stop.tsx";
import { CreateUserScreen, UserScreen, UsersScreen } from "./users.tsx";

const administrator = (me: Me) => me.role === "admin";
/** The audit log: the administrator, or a user given `audit:view`. */
const auditReader = (me: Me) => me.role === "admin" || me.permissions.includes("audit:view");

export const adminRoutes: readonly ConsoleRoute[] = [
  {
    path: "/users",
    component: UsersScreen,
    nav: { ja: "利用者管理", en: "Users" },
    group: "admin",
    visible: administrator,
  },
  // Not under /users/: "new" is a valid user ID.
  { path: "/new-user", component: CreateUserScreen, visible: administrator, under: "/users" },
  { path: "/users/:userId", component: UserScreen, visible: administrator },
  {
    path: "/certificates",
    component: CertificatesScreen,
    nav: { ja: "電子証明書", en: "Certificates" },
    group: "admin",
    visible: administrator,
  },
  {
    path: "/approval-policy",
    component: ApprovalPolicyScreen,
    nav: { ja: "承認ルール", en: "Approval policy" },
    group: "admin",
    visible: administrator,
  },
  {
    path: "/audit",
    component: AuditScreen,
    nav: { ja: "操作履歴", en: "Audit log" },
    group: "inquiry",
    visible: auditReader,
  },
  {
    path: "/emergency-stop",
    component: ContractStopScreen,
    nav: { ja: "契約の緊急停止", en: "Contract stop" },
    // Under 管理, last: not beside daily work.
    group: "admin",
    visible: administrator,
  },
  ...settingsRoutes,
];
