// Ending something open before it goes out: its creator's cancellation or an approver's rejection (with
// an optional reason), confirmed with the confirmation PIN and sent to `<path>/cancel` or `<path>/reject`.
// A transfer and a batch end alike; each screen gives its own words.
import { useId, useState } from "preact/hooks";
import { api } from "../api.ts";
import { ConfirmForm } from "./confirm-form.tsx";
import { TextField } from "./text-field.tsx";

export interface EndFormWords {
  title: string;
  /** Said before a cancellation's PIN field. */
  cancelLead: string;
  submit: string;
  reason: string;
}

export const EndForm = ({
  path,
  action,
  name,
  words,
  onDone,
}: {
  path: string;
  action: "cancel" | "reject";
  /** The form's name (for tests and the page's landmarks), e.g. `cancel-transfer`. */
  name: string;
  words: EndFormWords;
  onDone: () => void;
}) => {
  const formId = useId();
  const [reason, setReason] = useState("");
  return (
    <section class="panel" aria-labelledby={`${formId}-title`}>
      <h2 id={`${formId}-title`}>{words.title}</h2>
      {action === "cancel" ? <p>{words.cancelLead}</p> : null}
      <ConfirmForm
        name={name}
        title={words.title}
        submitLabel={words.submit}
        danger
        send={(confirmationPin) => {
          const trimmed = action === "reject" ? reason.trim() : "";
          return api.post(`${path}/${action}`, { confirmationPin, ...(trimmed ? { reason: trimmed } : {}) });
        }}
        onDone={onDone}
      >
        {action === "reject" ? (
          <TextField
            label={words.reason}
            name="reason"
            required={false}
            maxLength={200}
            value={reason}
            onInput={setReason}
          />
        ) : null}
      </ConfirmForm>
    </section>
  );
};
