// Health: the service is up only when its table answers a read with the permissions the service has.
import { Refusal } from "#shared/domain/refusal";
import { logger } from "#shared/logger";
import type { Deps } from "./deps.ts";

/** Reads one fixed key — proves reachability and read permission without the DescribeTable right. */
export const checkHealth = async ({ health }: Pick<Deps, "health">): Promise<void> => {
  try {
    await health.readKey();
  } catch (error) {
    logger.warn("table unreachable", { error });
    throw new Refusal("unavailable", "The service cannot reach its data store.", { cause: error });
  }
};
