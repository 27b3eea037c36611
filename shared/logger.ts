// The one structured logger (Powertools, JSON lines). Log what happened and to whom by ID — never a
// body, a header value, a PIN, a code or a token.
import { Logger } from "@aws-lambda-powertools/logger";

// The level comes from POWERTOOLS_LOG_LEVEL (INFO by default; SILENT in tests).
export const logger = new Logger({ serviceName: "corporate-ib" });

export type { Logger };
