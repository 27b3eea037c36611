// The administrator's user management: the list with each user's state, adding a user with initial
// PINs, permissions and limits, and one user's page (change, unlock, reset PINs, delete).
import { useState } from "preact/hooks";
import { api, type User, type UserList } from "../api.ts";
import { ConfirmForm, Notice } from "../components/confirm-form.tsx";
import { CheckField, Section, TextField } from "../components/fields.tsx";
import type { FieldError } from "../components/form-errors.tsx";
import { formatDateTime, formatYen, parseYen } from "../components/format.ts";
import { PinField } from "../components/pin-field.tsx";
import { ProblemAlert } from "../components/problem-alert.tsx";
import { useApiData } from "../components/use-api-data.ts";
import { joinList, type Lang, type Translate, useLang, useT, withNote } from "../i18n/index.ts";
import { navigate } from "../router.ts";
import { useSession } from "../session.ts";
import { commonMessages, pinRuleMessages, userMessages } from "./messages.ts";

/** The API's permissions, in the order the screens show them. */
export type PermissionName = User["permissions"][number];
export const permissionNames = [
  "accounts:view",
  "transfers:create",
  "transfers:approve",
  "audit:view",
  "payees:manage",
  "payroll:view",
  "payroll:approve",
] as const satisfies readonly PermissionName[];

/** A user as the administrator sees it (`GET /v1/users/{userId}`). */
export type UserView = User;

/** A message carried to the next screen (after a user is added or deleted). */
let carried: string | null = null;
const takeCarried = (): string | null => {
  const text = carried;
  carried = null;
  return text;
};

type UserT = Translate<keyof typeof userMessages.ja>;

const statusKey = (status: UserView["status"]) => `status-${status}` as const;
const tokenText = (t: UserT, token: UserView["token"], lang: "ja" | "en"): string => {
  if (!token) return t("token-none");
  const key = `token-${token.status}` as keyof typeof userMessages.ja;
  const known = key in userMessages.ja ? t(key) : token.status;
  return token.expiresAt && token.status === "active"
    ? withNote(known, t("tokenExpires", { at: formatDateTime(token.expiresAt, lang) }), lang)
    : known;
};
const reasonText = (t: UserT, reason: string): string => {
  const key = `reason-${reason}` as keyof typeof userMessages.ja;
  return key in userMessages.ja ? t(key) : reason;
};

export const StatusBadges = ({ user }: { user: UserView }) => {
  const t = useT(userMessages);
  return (
    <span class="badges">
      <span class={`badge status-${user.status}`} data-status={user.status}>
        {t(statusKey(user.status))}
      </span>
      {user.mustSetPins ? <span class="badge pins-pending">{t("pinsPending")}</span> : null}
      {user.mailSuppressed ? (
        <span class="badge mail-suppressed" title={t("mailSuppressedHint")}>
          {t("mailSuppressed")}
        </span>
      ) : null}
    </span>
  );
};

const permissionList = (t: UserT, granted: readonly PermissionName[], none: string, lang: Lang) =>
  granted.length === 0
    ? none
    : joinList(
        permissionNames
          .filter((permission) => granted.includes(permission))
          .map((permission) => t(`perm-${permission}`)),
        lang,
      );

export const UsersScreen = () => {
  const t = useT(userMessages);
  const c = useT(commonMessages);
  const lang = useLang();
  const users = useApiData<UserList>("/users");
  const [notice] = useState(takeCarried);
  return (
    <div class="admin-page">
      <h1>{t("title")}</h1>
      <p class="admin-lead">{t("intro")}</p>
      <Notice text={notice} />
      <div class="admin-actions">
        <a class="button primary" href="#/new-user">
          {t("add")}
        </a>
        <button type="button" onClick={() => void users.reload()}>
          {c("reload")}
        </button>
      </div>
      <ProblemAlert problem={users.problem} />
      {users.loading && !users.data ? <p aria-busy="true">{c("loading")}</p> : null}
      {users.data && users.data.items.length === 0 ? <p>{t("none")}</p> : null}
      {users.data && users.data.items.length > 0 ? (
        <table class="admin-table users-table">
          <thead>
            <tr>
              <th scope="col">{t("userId")}</th>
              <th scope="col">{t("name")}</th>
              <th scope="col">{t("status")}</th>
              <th scope="col">{t("permissions")}</th>
              <th scope="col">{t("limits")}</th>
              <th scope="col">{t("token")}</th>
              <th scope="col">{t("lastLogon")}</th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((user) => (
              <tr key={user.userId} data-user-id={user.userId}>
                <th scope="row" data-label={t("userId")}>
                  <a href={`#/users/${encodeURIComponent(user.userId)}`}>{user.userId}</a>
                </th>
                <td data-label={t("name")}>{user.name}</td>
                <td data-label={t("status")}>
                  <StatusBadges user={user} />
                </td>
                <td data-label={t("permissions")}>{permissionList(t, user.permissions, c("none"), lang)}</td>
                <td data-label={t("limits")}>
                  {t("perTransferShort")} {formatYen(user.limits.perTransfer, lang)} / {t("dailyShort")}{" "}
                  {formatYen(user.limits.daily, lang)}
                </td>
                <td data-label={t("token")}>{tokenText(t, user.token, lang)}</td>
                <td data-label={t("lastLogon")}>
                  {user.lastLogons.succeeded ? formatDateTime(user.lastLogons.succeeded.at, lang) : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
};

const PermissionChecks = ({
  granted,
  onChange,
}: {
  granted: readonly PermissionName[];
  onChange: (granted: PermissionName[]) => void;
}) => {
  const t = useT(userMessages);
  return (
    <fieldset class="admin-fieldset">
      <legend>{t("permissions")}</legend>
      {permissionNames.map((permission) => (
        <CheckField
          key={permission}
          name="permissions"
          value={permission}
          label={t(`perm-${permission}`)}
          hint={t(`permHint-${permission}`)}
          checked={granted.includes(permission)}
          onChange={(checked) =>
            onChange(
              permissionNames.filter((name) => (name === permission ? checked : granted.includes(name))),
            )
          }
        />
      ))}
    </fieldset>
  );
};

/** The contract's daily limit: the administrator's limits are the contract's (GET /v1/me). */
const useContractLimit = (): number | null => useSession().me?.limits?.daily ?? null;

const limitsCheck = (
  t: UserT,
  lang: "ja" | "en",
  contractLimit: number | null,
  perTransferText: string,
  dailyText: string,
): { error: string; field: "perTransfer" | "daily" } | { limits: { perTransfer: number; daily: number } } => {
  const perTransfer = parseYen(perTransferText);
  const daily = parseYen(dailyText);
  if (perTransfer === null) return { error: t("errYen"), field: "perTransfer" };
  if (daily === null) return { error: t("errYen"), field: "daily" };
  if (contractLimit !== null && daily > contractLimit)
    return { error: t("errDailyOverContract", { limit: formatYen(contractLimit, lang) }), field: "daily" };
  if (perTransfer > daily) return { error: t("errPerOverDaily"), field: "perTransfer" };
  return { limits: { perTransfer, daily } };
};

const LimitFields = ({
  perTransfer,
  daily,
  setPerTransfer,
  setDaily,
}: {
  perTransfer: string;
  daily: string;
  setPerTransfer: (value: string) => void;
  setDaily: (value: string) => void;
}) => {
  const t = useT(userMessages);
  const lang = useLang();
  const contractLimit = useContractLimit();
  return (
    <fieldset class="admin-fieldset">
      <legend>{t("limits")}</legend>
      {contractLimit !== null ? (
        <p class="admin-hint">{t("limitsHint", { limit: formatYen(contractLimit, lang) })}</p>
      ) : null}
      <div class="field-row">
        <TextField
          label={t("perTransfer")}
          name="perTransfer"
          inputMode="numeric"
          value={perTransfer}
          onInput={setPerTransfer}
          maxLength={16}
        />
        <TextField
          label={t("daily")}
          name="daily"
          inputMode="numeric"
          value={daily}
          onInput={setDaily}
          maxLength={16}
        />
      </div>
    </fieldset>
  );
};

export const PinRules = ({ forUser }: { forUser: boolean }) => {
  const r = useT(pinRuleMessages);
  return (
    <div class="pin-rules">
      <p class="pin-rules-title">{r("rulesTitle")}</p>
      <ul>
        <li>{r("ruleLength")}</li>
        <li>{r("ruleWeak")}</li>
        <li>{r("ruleIds")}</li>
        <li>{r("ruleDiffer")}</li>
        {forUser ? <li>{r("ruleInitial")}</li> : null}
      </ul>
    </div>
  );
};

const pinShape = /^[A-Za-z0-9]{6,12}$/;
const emailShape = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const InitialPinFields = ({
  pin,
  confirmationPin,
  setPin,
  setConfirmationPin,
}: {
  pin: string;
  confirmationPin: string;
  setPin: (value: string) => void;
  setConfirmationPin: (value: string) => void;
}) => {
  const t = useT(userMessages);
  return (
    <fieldset class="admin-fieldset">
      <legend>
        {t("initialPin")} / {t("initialConfirmationPin")}
      </legend>
      <PinRules forUser />
      <PinField label={t("initialPin")} name="initialPin" value={pin} onInput={setPin} maxLength={12} />
      <PinField
        label={t("initialConfirmationPin")}
        name="initialConfirmationPin"
        value={confirmationPin}
        onInput={setConfirmationPin}
        maxLength={12}
      />
    </fieldset>
  );
};

const initialPinsCheck = (t: UserT, pin: string, confirmationPin: string): string | null => {
  if (!pinShape.test(pin) || !pinShape.test(confirmationPin)) return t("errPinFormat");
  if (pin.toLowerCase() === confirmationPin.toLowerCase()) return t("errInitialSame");
  return null;
};

export const CreateUserScreen = () => {
  const t = useT(userMessages);
  const lang = useLang();
  const contractLimit = useContractLimit();
  const [userId, setUserId] = useState("");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [initialPin, setInitialPin] = useState("");
  const [initialConfirmationPin, setInitialConfirmationPin] = useState("");
  const [granted, setGranted] = useState<PermissionName[]>(["accounts:view"]);
  const [perTransfer, setPerTransfer] = useState("");
  const [daily, setDaily] = useState("");

  // Every field at fault at once, each named by its label (the error summary lists them).
  const check = (): FieldError[] => {
    const errors: FieldError[] = [];
    const fault = (field: string, label: string, message: string) =>
      errors.push({ field, label, message, named: true });
    if (!/^[A-Za-z0-9]{1,30}$/.test(userId)) fault("userId", t("userId"), t("errUserId"));
    if (name.trim() === "") fault("name", t("name"), t("errName"));
    if (!emailShape.test(email)) fault("email", t("email"), t("errEmail"));
    if (!pinShape.test(initialPin)) fault("initialPin", t("initialPin"), t("errPinFormat"));
    if (!pinShape.test(initialConfirmationPin))
      fault("initialConfirmationPin", t("initialConfirmationPin"), t("errPinFormat"));
    else if (initialPin.toLowerCase() === initialConfirmationPin.toLowerCase())
      fault("initialConfirmationPin", t("initialConfirmationPin"), t("errInitialSame"));
    const limits = limitsCheck(t, lang, contractLimit, perTransfer, daily);
    if ("error" in limits) fault(limits.field, t(limits.field), limits.error);
    return errors;
  };

  return (
    <div class="admin-page">
      <p>
        <a href="#/users">{t("backToList")}</a>
      </p>
      <h1>{t("createTitle")}</h1>
      <ConfirmForm
        name="create-user"
        title={t("createTitle")}
        submitLabel={t("createSubmit")}
        check={check}
        send={(confirmationPin) => {
          const limits = limitsCheck(t, lang, contractLimit, perTransfer, daily);
          return api.post<UserView>("/users", {
            userId,
            name: name.trim(),
            email: email.trim(),
            initialPin,
            initialConfirmationPin,
            permissions: granted,
            limits: "limits" in limits ? limits.limits : { perTransfer: 0, daily: 0 },
            confirmationPin,
          });
        }}
        explain={(problem) => (problem.status === 409 ? t("taken") : null)}
        onDone={(user) => {
          setInitialPin("");
          setInitialConfirmationPin("");
          carried = t("created", { userId: user.userId });
          navigate(`/users/${encodeURIComponent(user.userId)}`);
        }}
      >
        <TextField
          label={t("userId")}
          name="userId"
          value={userId}
          onInput={setUserId}
          maxLength={30}
          hint={t("errUserId")}
        />
        <TextField label={t("name")} name="name" value={name} onInput={setName} maxLength={100} />
        <TextField
          label={t("email")}
          name="email"
          type="email"
          inputMode="email"
          value={email}
          onInput={setEmail}
          maxLength={254}
        />
        <InitialPinFields
          pin={initialPin}
          confirmationPin={initialConfirmationPin}
          setPin={setInitialPin}
          setConfirmationPin={setInitialConfirmationPin}
        />
        <PermissionChecks granted={granted} onChange={setGranted} />
        <LimitFields
          perTransfer={perTransfer}
          daily={daily}
          setPerTransfer={setPerTransfer}
          setDaily={setDaily}
        />
      </ConfirmForm>
    </div>
  );
};

const EditUser = ({ user, onChanged }: { user: UserView; onChanged: (user: UserView) => void }) => {
  const t = useT(userMessages);
  const lang = useLang();
  const contractLimit = useContractLimit();
  const [name, setName] = useState(user.name);
  const [email, setEmail] = useState(user.email);
  const [granted, setGranted] = useState<PermissionName[]>([...user.permissions]);
  const [perTransfer, setPerTransfer] = useState(String(user.limits.perTransfer));
  const [daily, setDaily] = useState(String(user.limits.daily));

  const changes = () => {
    const limits = limitsCheck(t, lang, contractLimit, perTransfer, daily);
    const body: Record<string, unknown> = {};
    if (name.trim() !== user.name) body.name = name.trim();
    if (email.trim() !== user.email) body.email = email.trim();
    const samePermissions =
      granted.length === user.permissions.length && granted.every((p) => user.permissions.includes(p));
    if (!samePermissions) body.permissions = granted;
    if (
      "limits" in limits &&
      (limits.limits.perTransfer !== user.limits.perTransfer || limits.limits.daily !== user.limits.daily)
    )
      body.limits = limits.limits;
    return body;
  };

  return (
    <Section title={t("editTitle")}>
      <ConfirmForm
        name="edit-user"
        title={t("editTitle")}
        submitLabel={t("editSubmit")}
        check={() => {
          if (name.trim() === "") return t("errName");
          if (!emailShape.test(email.trim())) return t("errEmail");
          const limits = limitsCheck(t, lang, contractLimit, perTransfer, daily);
          if ("error" in limits) return limits.error;
          return Object.keys(changes()).length === 0 ? t("noChange") : null;
        }}
        send={(confirmationPin) =>
          api.patch<UserView>(`/users/${encodeURIComponent(user.userId)}`, { ...changes(), confirmationPin })
        }
        onDone={onChanged}
      >
        <TextField label={t("name")} name="name" value={name} onInput={setName} maxLength={100} />
        <TextField
          label={t("email")}
          name="email"
          type="email"
          inputMode="email"
          value={email}
          onInput={setEmail}
          maxLength={254}
        />
        <PermissionChecks granted={granted} onChange={setGranted} />
        <LimitFields
          perTransfer={perTransfer}
          daily={daily}
          setPerTransfer={setPerTransfer}
          setDaily={setDaily}
        />
      </ConfirmForm>
    </Section>
  );
};

const UnlockUser = ({ user, onUnlocked }: { user: UserView; onUnlocked: (user: UserView) => void }) => {
  const t = useT(userMessages);
  const lang = useLang();
  const linked = useSession().me?.contract?.lockMode === "linked";
  return (
    <Section title={t("unlockTitle")}>
      <p>
        {t("unlockExplain", {
          reason: reasonText(t, user.lock?.reason ?? ""),
          at: formatDateTime(user.lock?.at, lang),
        })}
      </p>
      {linked && user.lock?.reason === "user-locked" ? (
        <p class="admin-warning">{t("unlockLinked")}</p>
      ) : null}
      {user.token?.status === "stopped" ? <p class="admin-hint">{t("unlockTokenNote")}</p> : null}
      <ConfirmForm
        name="unlock-user"
        title={t("unlockTitle")}
        submitLabel={t("unlockSubmit")}
        send={(confirmationPin) =>
          api.post<UserView>(`/users/${encodeURIComponent(user.userId)}/unlock`, { confirmationPin })
        }
        onDone={onUnlocked}
      />
    </Section>
  );
};

const ResetPins = ({ user, onReset }: { user: UserView; onReset: (user: UserView) => void }) => {
  const t = useT(userMessages);
  const [pin, setPin] = useState("");
  const [confirmationPin, setConfirmationPin] = useState("");
  return (
    <Section title={t("resetTitle")}>
      <p>{t("resetExplain")}</p>
      <ConfirmForm
        name="reset-pins"
        title={t("resetTitle")}
        submitLabel={t("resetSubmit")}
        check={() => initialPinsCheck(t, pin, confirmationPin)}
        send={(adminPin) =>
          api.post<UserView>(`/users/${encodeURIComponent(user.userId)}/reset-pins`, {
            initialPin: pin,
            initialConfirmationPin: confirmationPin,
            confirmationPin: adminPin,
          })
        }
        onDone={(changed) => {
          setPin("");
          setConfirmationPin("");
          onReset(changed);
        }}
      >
        <InitialPinFields
          pin={pin}
          confirmationPin={confirmationPin}
          setPin={setPin}
          setConfirmationPin={setConfirmationPin}
        />
      </ConfirmForm>
    </Section>
  );
};

const DeleteUser = ({ user }: { user: UserView }) => {
  const t = useT(userMessages);
  const [acknowledged, setAcknowledged] = useState(false);
  return (
    <Section title={t("deleteTitle")} tone="danger">
      <p class="admin-warning">{t("deleteExplain", { userId: user.userId, name: user.name })}</p>
      <ConfirmForm
        name="delete-user"
        title={t("deleteTitle")}
        submitLabel={t("deleteSubmit")}
        danger
        check={() => (acknowledged ? null : t("errAck"))}
        send={(confirmationPin) =>
          api.delete<undefined>(`/users/${encodeURIComponent(user.userId)}`, { confirmationPin })
        }
        onDone={() => {
          carried = t("deleted", { userId: user.userId });
          navigate("/users");
        }}
      >
        <CheckField
          name="acknowledge"
          label={t("deleteAck", { userId: user.userId })}
          checked={acknowledged}
          onChange={setAcknowledged}
        />
      </ConfirmForm>
    </Section>
  );
};

export const UserScreen = ({ params }: { params: Record<string, string> }) => {
  const userId = params.userId ?? "";
  const t = useT(userMessages);
  const c = useT(commonMessages);
  const lang = useLang();
  const loaded = useApiData<UserView>(`/users/${encodeURIComponent(userId)}`);
  const [override, setOverride] = useState<UserView | null>(null);
  const [notice, setNotice] = useState(takeCarried);
  // Each change answers with the user as it now is; a new key re-opens the forms with those values.
  const [generation, setGeneration] = useState(0);
  const user = override ?? loaded.data;
  const changed = (message: string) => (next: UserView) => {
    setOverride(next);
    setNotice(message);
    setGeneration((value) => value + 1);
  };
  return (
    <div class="admin-page">
      <p>
        <a href="#/users">{t("backToList")}</a>
      </p>
      <h1>{t("detailTitle", { userId })}</h1>
      <Notice text={notice} />
      <ProblemAlert problem={loaded.problem} />
      {!user && loaded.loading ? <p aria-busy="true">{c("loading")}</p> : null}
      {user ? (
        <>
          <dl class="admin-facts">
            <dt>{t("name")}</dt>
            <dd>{user.name}</dd>
            <dt>{t("email")}</dt>
            <dd>{user.email}</dd>
            <dt>{t("status")}</dt>
            <dd>
              <StatusBadges user={user} />
            </dd>
            {user.lock ? (
              <>
                <dt>{t("stopReason")}</dt>
                <dd>{reasonText(t, user.lock.reason)}</dd>
                <dt>{t("stoppedAt")}</dt>
                <dd>{formatDateTime(user.lock.at, lang)}</dd>
              </>
            ) : null}
            <dt>{t("permissions")}</dt>
            <dd>{permissionList(t, user.permissions, c("none"), lang)}</dd>
            <dt>{t("limits")}</dt>
            <dd>
              {t("perTransferShort")} {formatYen(user.limits.perTransfer, lang)} / {t("dailyShort")}{" "}
              {formatYen(user.limits.daily, lang)}
            </dd>
            <dt>{t("token")}</dt>
            <dd>{tokenText(t, user.token, lang)}</dd>
            <dt>{t("lastLogon")}</dt>
            <dd>{user.lastLogons.succeeded ? formatDateTime(user.lastLogons.succeeded.at, lang) : "—"}</dd>
            <dt>{t("lastFailed")}</dt>
            <dd>{user.lastLogons.failed ? formatDateTime(user.lastLogons.failed.at, lang) : "—"}</dd>
            <dt>{t("createdAt")}</dt>
            <dd>{formatDateTime(user.createdAt, lang)}</dd>
          </dl>
          {user.status !== "active" ? (
            <UnlockUser key={`unlock-${generation}`} user={user} onUnlocked={changed(t("unlocked"))} />
          ) : null}
          <EditUser key={`edit-${generation}`} user={user} onChanged={changed(t("changed"))} />
          <ResetPins key={`reset-${generation}`} user={user} onReset={changed(t("reset"))} />
          <DeleteUser user={user} />
        </>
      ) : null}
    </div>
  );
};
