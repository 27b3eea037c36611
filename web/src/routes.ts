// The screens after logon, contributed by each area (staff/routes.tsx, admin/routes.tsx) and shown by
// the shell: a route is listed in the navigation when `nav` is set and `visible` says the principal may
// use it.
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
}
