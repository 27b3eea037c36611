// The project's command-line token simulator (`npm run token`, design §4) offered in place of the phone
// app — in a local build only (`npm start`, the tests). A bank's customers must never be told to run a
// command: in `npm run build:web` `__LOCAL_BUILD__` is false, so each hint is a dead branch and its words
// and commands are left out of the bundle (a test reads the built files to hold this).
import type { FunctionComponent } from "preact";
import { defineMessages, useT } from "../i18n/index.ts";
import { useSession } from "../session.ts";

const simulatorMessages = /* @__PURE__ */ defineMessages(
  {
    otp: "この環境では、トークンアプリの代わりに npm run token -- code でワンタイムパスワードを表示できます。",
    provision: "この環境では、トークンアプリの代わりに次のコマンドで初期設定できます：",
    sign: "この環境では、トークンアプリの代わりに次のコマンドで取引認証番号を表示できます：",
  },
  {
    otp: "Here, npm run token -- code shows the one-time password instead of the phone app.",
    provision: "Here, this command sets up the token instead of the phone app:",
    sign: "Here, this command shows the transaction code instead of the phone app:",
  },
);

const Nothing = () => null;

/** The logon's one-time password step. */
export const OtpSimulatorHint = __LOCAL_BUILD__
  ? () => {
      const t = useT(simulatorMessages);
      return <p class="hint">{t("otp")}</p>;
    }
  : Nothing;

/** A token just issued: the command that provisions it as the phone app would. */
export const ProvisionSimulatorHint = __LOCAL_BUILD__
  ? ({ serviceId, tokenId }: { serviceId: string; tokenId: string }) => {
      const t = useT(simulatorMessages);
      return (
        <>
          <p class="hint">{t("provision")}</p>
          <pre class="command">
            npm run token -- provision --api {globalThis.location.origin} --service-id {serviceId} --token-id{" "}
            {tokenId} --password …
          </pre>
        </>
      );
    }
  : Nothing;

/** A transfer to sign or approve: the command that computes its transaction code over what it shows. */
const SignHint = ({
  transferId,
  question,
  payee,
  amount,
  executionDate,
}: {
  transferId: string;
  question: string;
  /** A scheduled transfer's date, which its question covers. */
  executionDate?: string | undefined;
  payee: {
    bankCode: string;
    branchCode: string;
    accountType: string;
    accountNumber: string;
    name: string;
  };
  amount: number;
}) => {
  const t = useT(simulatorMessages);
  // The signer's own token: the simulator may keep several (one per principal tried here).
  const tokenId = useSession().me?.token?.tokenId;
  return (
    <>
      <p class="hint">{t("sign")}</p>
      <pre class="command" data-testid="token-command">
        {`npm run token -- sign${tokenId ? ` --token-id ${tokenId}` : ""} --transfer-id ${transferId} --question ${question} --payee '${JSON.stringify(
          {
            bankCode: payee.bankCode,
            branchCode: payee.branchCode,
            accountType: payee.accountType,
            accountNumber: payee.accountNumber,
            name: payee.name,
          },
        )}' --amount ${amount}${executionDate ? ` --date ${executionDate}` : ""}`}
      </pre>
    </>
  );
};

export const SignSimulatorHint: FunctionComponent<Parameters<typeof SignHint>[0]> = __LOCAL_BUILD__
  ? SignHint
  : Nothing;

/** A payee's registration or change to confirm: the command that computes its code over what it shows. */
const PayeeHint = ({
  payeeId,
  revision,
  question,
  payee,
}: {
  payeeId: string;
  revision: number;
  question: string;
  payee: SignHintPayee;
}) => {
  const t = useT(simulatorMessages);
  return (
    <>
      <p class="hint">{t("sign")}</p>
      <pre class="command" data-testid="token-command">
        {`npm run token -- payee --payee-id ${payeeId} --revision ${revision} --question ${question} --payee '${JSON.stringify(
          {
            bankCode: payee.bankCode,
            branchCode: payee.branchCode,
            accountType: payee.accountType,
            accountNumber: payee.accountNumber,
            name: payee.name,
          },
        )}'`}
      </pre>
    </>
  );
};

type SignHintPayee = Parameters<typeof SignHint>[0]["payee"];

export const PayeeSimulatorHint: FunctionComponent<Parameters<typeof PayeeHint>[0]> = __LOCAL_BUILD__
  ? PayeeHint
  : Nothing;

/** A batch to sign or approve: the command that shows its count, total and date and computes its code. */
const BatchHint = ({
  batch,
}: {
  batch: {
    batchId: string;
    kind: string;
    date: string;
    count: number;
    total: number;
    linesSha256: string;
    challenge: { question: string };
  };
}) => {
  const t = useT(simulatorMessages);
  const tokenId = useSession().me?.token?.tokenId;
  return (
    <>
      <p class="hint">{t("sign")}</p>
      <pre class="command" data-testid="token-command">
        {`npm run token -- batch${tokenId ? ` --token-id ${tokenId}` : ""} --batch-id ${batch.batchId} --kind ${batch.kind} --date ${batch.date} --count ${batch.count} --total ${batch.total} --lines-sha256 ${batch.linesSha256} --question ${batch.challenge.question}`}
      </pre>
    </>
  );
};

export const BatchSimulatorHint: FunctionComponent<Parameters<typeof BatchHint>[0]> = __LOCAL_BUILD__
  ? BatchHint
  : Nothing;
