// Who the mandatory security mails about a principal go to (design §6).
import type { Contract, Role } from "./model.ts";

/**
 * The principal — at every address given: a changed address is told at the old one too — and, for a
 * user, the contract's administrator as well, who answers for its users; each address once. A user
 * whose address is not known any more (a certificate's holder deleted) leaves the administrator alone.
 */
export const securityMailRecipients = (
  contract: Pick<Contract, "adminEmail">,
  principal: { role: Role; email: string | readonly string[] | undefined },
): string[] => {
  const own =
    principal.email === undefined
      ? []
      : typeof principal.email === "string"
        ? [principal.email]
        : principal.email;
  return [...new Set([...own, ...(principal.role === "user" ? [contract.adminEmail] : [])])];
};
