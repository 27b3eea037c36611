// The screens after logon, contributed by each area (staff/routes.tsx, admin/routes.tsx) and shown by
// the shell: a route is listed in the navigation when `nav` is set and `visible` says the principal may
// use it, under its `group` heading (照会 / 振込 / 承認 / 管理 / 設定), in the order the areas list them.
import type { ComponentType } from "preact";
import type { Lang } from "./i18n/index.ts";
import type { Me } from "./session.ts";

export interface ConsoleRoute {
  /** `/transfers/:id` style; parameters reach the component as props.params. */
  readonly path: string;
  readonly component: ComponentType<{ params: Record<string, string> }>;
  /** The navigation label in each language; no label keeps the route out of the navigation. */
  readonly nav?: Readonly<Record<Lang, string>>;
  readonly visible: (me: Me) => boolean;
  /** The navigation entry this screen belongs to when its path does not start with that entry's path. */
  readonly under?: string;
  /** The menu group the navigation entry is listed under; none: above the groups (home). */
  readonly group?: MenuGroup;
}

/** The menu's groups, in the order the menu shows them: daily work first, the administrator's after. */
export const menuGroups = ["inquiry", "transfer", "approval", "admin", "settings"] as const;
export type MenuGroup = (typeof menuGroups)[number];
