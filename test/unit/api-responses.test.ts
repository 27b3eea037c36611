// The response shapes the OpenAPI document publishes are the shapes the services return: each is held
// equal to its service's return type here, so the type check (`npm run typecheck`) fails when one moves.
import type * as v from "valibot";
import { describe, expectTypeOf, it } from "vitest";
import type { LimitRefusal } from "#shared/domain/limits";
import type * as responses from "#shared/http/responses";
import type { listAccounts, listAccountTransactions } from "#shared/services/accounts";
import type { getApprovalPolicy, setApprovalPolicy } from "#shared/services/approval-policy";
import type { listAudit } from "#shared/services/audit";
import type {
  beginCertificateAuthorityRollover,
  certificateAuthorityStatus,
  retirePreviousCertificateAuthority,
} from "#shared/services/certificate-authority";
import type {
  issueCertificate,
  issuePkcs12Certificate,
  listCertificates,
  renewCertificate,
} from "#shared/services/certificates";
import type { createContract, describeContract, resetAdministrator } from "#shared/services/contracts";
import type { logon } from "#shared/services/logon";
import type { completeCardStep, completeOtpStep, setPins } from "#shared/services/logon-steps";
import type { describeMe, setChannels, setNotifications } from "#shared/services/me";
import type {
  changePayee,
  confirmPayee,
  getPayee,
  listPayeeGroups,
  listPayees,
  registerPayee,
} from "#shared/services/payees/index";
import type { runScheduler } from "#shared/services/scheduler";
import type {
  activateToken,
  issueToken,
  provisionToken,
  renewToken,
  resetToken,
} from "#shared/services/tokens";
import type {
  approveTransfer,
  cancelTransfer,
  createTransfer,
  getTransfer,
  listTransfers,
  rejectTransfer,
  signTransfer,
} from "#shared/services/transfers/index";
import type { getUser, listUsers } from "#shared/services/users";

// biome-ignore lint/suspicious/noExplicitAny: any service function
type Answer<F extends (...args: any[]) => unknown> = Awaited<ReturnType<F>>;
type Shape<K extends keyof typeof responses.namedSchemas> = v.InferOutput<(typeof responses.namedSchemas)[K]>;

describe("the published response shapes", () => {
  it("are what the services return", () => {
    expectTypeOf<Answer<typeof logon>>().toEqualTypeOf<Shape<"Logon">>();
    expectTypeOf<Answer<typeof completeOtpStep>>().toEqualTypeOf<Shape<"StepAnswer">>();
    expectTypeOf<Answer<typeof completeCardStep>>().toEqualTypeOf<Shape<"StepAnswer">>();
    expectTypeOf<Answer<typeof setPins>>().toEqualTypeOf<Shape<"StepAnswer">>();

    expectTypeOf<Answer<typeof describeMe>>().toEqualTypeOf<Shape<"Me">>();
    expectTypeOf<Answer<typeof setNotifications>>().toEqualTypeOf<Shape<"Notifications">>();
    expectTypeOf<Answer<typeof setChannels>>().toEqualTypeOf<Shape<"Channels">>();

    expectTypeOf<Answer<typeof issueToken>>().toEqualTypeOf<Shape<"IssuedToken">>();
    expectTypeOf<Answer<typeof provisionToken>>().toEqualTypeOf<Shape<"TokenProvisioning">>();
    expectTypeOf<Answer<typeof activateToken>>().toEqualTypeOf<Shape<"ActivatedToken">>();
    expectTypeOf<Answer<typeof renewToken>>().toEqualTypeOf<Shape<"RenewedToken">>();

    expectTypeOf<Answer<typeof listUsers>>().toEqualTypeOf<Shape<"UserList">>();

    expectTypeOf<Answer<typeof listPayees>>().toEqualTypeOf<Shape<"PayeePage">>();
    expectTypeOf<Answer<typeof getPayee>>().toEqualTypeOf<Shape<"PayeeEntry">>();
    expectTypeOf<Answer<typeof confirmPayee>>().toEqualTypeOf<Shape<"PayeeEntry">>();
    expectTypeOf<Answer<typeof registerPayee>>().toEqualTypeOf<Shape<"PayeeAwaitingConfirmation">>();
    expectTypeOf<Answer<typeof changePayee>>().toEqualTypeOf<Shape<"PayeeAwaitingConfirmation">>();
    expectTypeOf<Answer<typeof listPayeeGroups>>().toEqualTypeOf<Shape<"PayeeGroups">>();
    expectTypeOf<Answer<typeof getUser>>().toEqualTypeOf<Shape<"User">>();
    expectTypeOf<Answer<typeof getApprovalPolicy>>().toEqualTypeOf<Shape<"ApprovalPolicy">>();
    expectTypeOf<Answer<typeof setApprovalPolicy>>().toEqualTypeOf<Shape<"ApprovalPolicy">>();

    expectTypeOf<Answer<typeof listAccounts>>().toEqualTypeOf<Shape<"AccountList">>();
    expectTypeOf<Answer<typeof listAccountTransactions>>().toEqualTypeOf<Shape<"LedgerPage">>();

    expectTypeOf<Answer<typeof createTransfer>["created"]>().toEqualTypeOf<Shape<"CreatedTransfer">>();
    expectTypeOf<Answer<typeof getTransfer>>().toEqualTypeOf<Shape<"Transfer">>();
    expectTypeOf<Answer<typeof listTransfers>>().toEqualTypeOf<Shape<"TransferPage">>();
    expectTypeOf<Answer<typeof signTransfer>>().toEqualTypeOf<Shape<"SignedTransfer">>();
    expectTypeOf<Answer<typeof approveTransfer>>().toEqualTypeOf<Shape<"ApprovedTransfer">>();
    expectTypeOf<Answer<typeof rejectTransfer>>().toEqualTypeOf<Shape<"RejectedTransfer">>();
    expectTypeOf<Answer<typeof cancelTransfer>>().toEqualTypeOf<Shape<"CancelledTransfer">>();

    expectTypeOf<Answer<typeof listCertificates>>().toEqualTypeOf<Shape<"CertificateList">>();
    expectTypeOf<Answer<typeof issueCertificate>>().toEqualTypeOf<Shape<"IssuedCertificate">>();
    expectTypeOf<Answer<typeof renewCertificate>>().toEqualTypeOf<Shape<"IssuedCertificate">>();
    expectTypeOf<Answer<typeof issuePkcs12Certificate>>().toEqualTypeOf<Shape<"IssuedPkcs12">>();

    expectTypeOf<Answer<typeof listAudit>>().toEqualTypeOf<Shape<"AuditPage">>();

    expectTypeOf<Answer<typeof certificateAuthorityStatus>>().toEqualTypeOf<
      Shape<"CertificateAuthorityStatus">
    >();
    expectTypeOf<Answer<typeof beginCertificateAuthorityRollover>>().toEqualTypeOf<
      Shape<"CertificateAuthorityStatus">
    >();
    expectTypeOf<Answer<typeof retirePreviousCertificateAuthority>>().toEqualTypeOf<
      Shape<"RetiredCertificateAuthority">
    >();

    expectTypeOf<Answer<typeof createContract>>().toEqualTypeOf<Shape<"CreatedContract">>();
    expectTypeOf<Answer<typeof describeContract>>().toEqualTypeOf<Shape<"ContractDescription">>();
    expectTypeOf<Answer<typeof resetAdministrator>>().toEqualTypeOf<Shape<"RegistrationPin">>();
    expectTypeOf<Answer<typeof resetToken>>().toEqualTypeOf<Shape<"TokenReset">>();
    expectTypeOf<Answer<typeof runScheduler>>().toEqualTypeOf<Shape<"SchedulerReport">>();
  });

  it("give a limit refusal's limit as the limit rules name it", () => {
    expectTypeOf<NonNullable<Shape<"Problem">["limit"]>>().toEqualTypeOf<{
      kind: LimitRefusal["limit"];
      amount: LimitRefusal["amount"];
      remaining: LimitRefusal["remaining"];
    }>();
  });
});
