// The staff screens: accounts, transfers, signing and approval.
import type { ConsoleRoute } from "../routes.ts";

export const staffRoutes: readonly ConsoleRoute[] = [];
