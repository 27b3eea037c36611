// The logon flow: the logon screen without a session, else the screen of the pending step.
import { useSession } from "../session.ts";
import { LogonScreen } from "./logon-screen.tsx";
import { CardStep, CertificateStep, OtpStep, RegisterTokenStep, SetPinsStep } from "./steps.tsx";

export { LogonScreen } from "./logon-screen.tsx";
export { CardStep, CertificateStep, OtpStep, RegisterTokenStep, SetPinsStep } from "./steps.tsx";

/** What a person without a full session sees: the logon, or the one step the session still needs. */
export const LogonFlow = () => {
  const session = useSession();
  if (!session.signedIn) return <LogonScreen />;
  switch (session.pending) {
    case "otp":
      return <OtpStep />;
    case "card":
      return <CardStep />;
    case "set-pins":
      return <SetPinsStep />;
    case "register-token":
      return <RegisterTokenStep />;
    case "certificate":
      return <CertificateStep />;
    default:
      return null;
  }
};
