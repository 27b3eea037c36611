// The administrator's emergency stop of the whole contract: what it does and who resumes it, said
// plainly before the confirmation PIN is asked.
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { ConfirmForm } from "../components/confirm-form.tsx";
import { CheckField } from "../components/fields.tsx";
import { confirmMessages } from "../components/messages.ts";
import { useT } from "../i18n/index.ts";
import { endSession } from "../session.ts";
import { contractStopMessages, userMessages } from "./messages.ts";

export const ContractStopScreen = () => {
  const t = useT(contractStopMessages);
  const u = useT(userMessages);
  const back = useT(confirmMessages);
  const [acknowledged, setAcknowledged] = useState(false);
  const [stopped, setStopped] = useState(false);
  if (stopped)
    return (
      <div class="admin-page">
        <h1>{t("title")}</h1>
        <div class="admin-done" role="status">
          <p>{t("done")}</p>
        </div>
        <button type="button" class="primary" onClick={() => endSession("contract-stopped")}>
          {back("backToLogon")}
        </button>
      </div>
    );
  return (
    <div class="admin-page">
      <h1>{t("title")}</h1>
      <div class="admin-warning-box">
        <p>
          <strong>{t("lead")}</strong>
        </p>
        <ul>
          <li>{t("what1")}</li>
          <li>{t("what2")}</li>
          <li>
            <strong>{t("who")}</strong>
          </li>
        </ul>
        <p>{t("when")}</p>
      </div>
      <ConfirmForm
        name="contract-stop"
        title={t("title")}
        submitLabel={t("submit")}
        danger
        check={() => (acknowledged ? null : u("errAck"))}
        send={(confirmationPin) => api.post<undefined>("/contract/emergency-stop", { confirmationPin })}
        onDone={() => setStopped(true)}
      >
        <CheckField name="acknowledge" label={t("ack")} checked={acknowledged} onChange={setAcknowledged} />
      </ConfirmForm>
    </div>
  );
};
