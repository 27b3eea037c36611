// The staff screens: home, accounts, transfers, signing and approval, the payee book, each shown to the principals
// whose permissions (shared/domain/permissions.ts) the API would let use it.
import type { ConsoleRoute } from "../routes.ts";
import type { Me } from "../session.ts";
import { AccountHistoryScreen, AccountsScreen } from "./accounts.tsx";
import {
  ApproveBatchScreen,
  BatchApprovalsScreen,
  BatchDetailScreen,
  BatchesScreen,
  SignBatchScreen,
} from "./batch-flow.tsx";
import { BatchFromGroupScreen } from "./batch-group.tsx";
import { BatchUploadScreen } from "./batches.tsx";
import { HomeScreen } from "./home.tsx";
import { ConfirmPayeeScreen, NewPayeeScreen, PayeesScreen } from "./payees.tsx";
import { holds } from "./shared.tsx";
import { NewTransferScreen } from "./transfer-create.tsx";
import {
  ApprovalsScreen,
  ApproveTransferScreen,
  SignTransferScreen,
  TransferDetailScreen,
  TransfersScreen,
} from "./transfers.tsx";

const seesPayees = (me: Me) => holds(me, "payees:manage") || holds(me, "transfers:create");

const seesBatches = (me: Me) =>
  holds(me, "transfers:create") || holds(me, "transfers:approve") || holds(me, "payroll:view");

const seesTransfers = (me: Me) => holds(me, "transfers:create") || holds(me, "transfers:approve");

export const staffRoutes: readonly ConsoleRoute[] = [
  { path: "/", component: HomeScreen, nav: { ja: "ホーム", en: "Home" }, visible: () => true },
  {
    path: "/accounts",
    component: AccountsScreen,
    nav: { ja: "口座照会", en: "Accounts" },
    group: "inquiry",
    visible: (me) => holds(me, "accounts:view"),
  },
  {
    path: "/accounts/:accountId",
    component: AccountHistoryScreen,
    visible: (me) => holds(me, "accounts:view"),
  },
  {
    path: "/transfers/new",
    component: NewTransferScreen,
    nav: { ja: "振込の作成", en: "New transfer" },
    group: "transfer",
    visible: (me) => holds(me, "transfers:create"),
  },
  {
    path: "/batches/new",
    component: BatchUploadScreen,
    nav: { ja: "総合振込・給与振込", en: "Bulk and payroll transfers" },
    group: "transfer",
    // The accounts to pay from are read with accounts:view.
    visible: (me) => holds(me, "transfers:create") && holds(me, "accounts:view"),
  },
  {
    path: "/batches/from-group",
    component: BatchFromGroupScreen,
    nav: { ja: "振込先グループから作成", en: "From a payee group" },
    group: "transfer",
    visible: (me) => holds(me, "transfers:create") && holds(me, "accounts:view"),
  },
  {
    path: "/batches",
    component: BatchesScreen,
    nav: { ja: "総合振込・給与振込の一覧", en: "Bulk transfers list" },
    group: "transfer",
    visible: seesBatches,
  },
  {
    path: "/batches/approvals",
    component: BatchApprovalsScreen,
    nav: { ja: "総合振込・給与振込の承認", en: "Bulk transfer approvals" },
    group: "approval",
    visible: (me) => holds(me, "transfers:approve") || holds(me, "payroll:approve"),
  },
  {
    path: "/batches/:batchId",
    component: BatchDetailScreen,
    visible: seesBatches,
    under: "/batches",
  },
  {
    path: "/batches/:batchId/sign",
    component: SignBatchScreen,
    visible: (me) => holds(me, "transfers:create"),
    under: "/batches",
  },
  {
    path: "/batches/:batchId/approve",
    component: ApproveBatchScreen,
    visible: (me) => holds(me, "transfers:approve") || holds(me, "payroll:approve"),
    under: "/batches/approvals",
  },
  {
    path: "/transfers",
    component: TransfersScreen,
    nav: { ja: "振込一覧", en: "Transfers" },
    group: "transfer",
    visible: seesTransfers,
  },
  {
    path: "/approvals",
    component: ApprovalsScreen,
    nav: { ja: "承認待ち", en: "Approvals" },
    group: "approval",
    visible: (me) => holds(me, "transfers:approve"),
  },
  {
    path: "/payees",
    component: PayeesScreen,
    nav: { ja: "登録振込先", en: "Payees" },
    group: "transfer",
    visible: seesPayees,
  },
  { path: "/payees/new", component: NewPayeeScreen, visible: (me) => holds(me, "payees:manage") },
  {
    path: "/payees/:payeeId/confirm",
    component: ConfirmPayeeScreen,
    visible: (me) => holds(me, "payees:manage"),
  },
  {
    path: "/payees/:payeeId/transfer",
    component: NewTransferScreen,
    visible: (me) => holds(me, "transfers:create"),
    under: "/transfers/new",
  },
  { path: "/transfers/:transferId", component: TransferDetailScreen, visible: seesTransfers },
  {
    path: "/transfers/:transferId/sign",
    component: SignTransferScreen,
    visible: (me) => holds(me, "transfers:create"),
  },
  {
    path: "/transfers/:transferId/approve",
    component: ApproveTransferScreen,
    visible: (me) => holds(me, "transfers:approve"),
  },
];
