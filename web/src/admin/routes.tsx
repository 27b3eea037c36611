// The administrator's screens: users, certificates, audit log, emergency stop, settings.
import type { ConsoleRoute } from "../routes.ts";

export const adminRoutes: readonly ConsoleRoute[] = [];
