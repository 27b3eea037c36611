// The logon screen's and the logon steps' words.
import { defineMessages } from "../i18n/index.ts";

export const logonMessages = defineMessages(
  {
    title: "ログオン",
    lead: "契約番号・利用者ID・ログオン暗証番号を入力してください。管理者の方は利用者IDを空欄のままログオンしてください。",
    contractId: "契約番号",
    contractIdHint: "半角数字11桁",
    userId: "利用者ID",
    userIdHint: "半角英数字1〜30文字。管理者の方は入力不要です。",
    pin: "ログオン暗証番号",
    pinHint: "初回ログオンの管理者の方は、銀行からお届けした登録用暗証番号を入力してください。",
    submit: "ログオン",
    sending: "送信中…",
    keyboardAdvice:
      "不正なプログラムによる盗み取りを防ぐため、ソフトウェアキーボードのご利用をおすすめします。",
    endedLogout: "ログオフしました。",
    endedIdle: "一定時間操作がなかったため、自動的にログオフしました。もう一度ログオンしてください。",
    endedExpired: "ログオンできる時間の上限に達したため、ログオフしました。もう一度ログオンしてください。",
    endedUnauthenticated:
      "ログオンの有効期限が切れたか、ログオン状態が無効になりました。もう一度ログオンしてください。",
    endedLocked: "ご利用が停止されたため、ログオフしました。",
    endedContractStopped: "ご契約のご利用が停止されたため、ログオフしました。銀行にお問い合わせください。",
    invalidCredentials:
      "契約番号・利用者ID・ログオン暗証番号のいずれかが正しくありません。続けて誤るとご利用が停止されます。",
    emergencyTitle: "ログオン緊急停止",
    emergencyLead:
      "暗証番号などが他人に知られたおそれがあるときは、ログオンせずにご自身のログオンを停止できます。契約番号、利用者ID（管理者の方は空欄）、ご登録のメールアドレスを入力してください。",
    emergencyShow: "ログオン緊急停止の手続きへ",
    emergencyHide: "ログオン緊急停止を閉じる",
    email: "ご登録のメールアドレス",
    emergencySubmit: "ログオンを停止する",
    emergencyReceived:
      "ログオン緊急停止のご依頼を受け付けました。入力内容がご登録と一致した場合はログオンが停止され、ご登録のメールアドレスにお知らせします。再開は、利用者は管理者、管理者は銀行にお申し出ください。",
    otpTitle: "ワンタイムパスワードの入力",
    otpLead: "スマートフォンのトークンアプリに表示されている8桁のワンタイムパスワードを入力してください。",
    otp: "ワンタイムパスワード（8桁）",
    next: "次へ",
    cancelLogon: "ログオンをやめる",
    cardTitle: "お客様カードの確認",
    cardLead: "お手元のお客様カードを見て、指定された位置の数字（各4桁）を入力してください。",
    cardCell: "カードの {position} の数字（4桁）",
    setPinsTitle: "暗証番号の登録",
    setPinsLead:
      "ご利用を始める前に、ログオン暗証番号と確認暗証番号を新しく登録してください。確認のため、それぞれ2回入力してください。",
    pinRules:
      "暗証番号のルール：6〜12桁の半角英数字。同じ文字の繰り返し（111111 など）や連続した並び（123456、abcdef など）、契約番号・利用者IDと同じもの、登録用・初期暗証番号と同じものは使えません。ログオン暗証番号と確認暗証番号は異なるものにしてください。",
    newPin: "新しいログオン暗証番号",
    newPinAgain: "新しいログオン暗証番号（確認のため再入力）",
    newConfirmationPin: "新しい確認暗証番号",
    newConfirmationPinAgain: "新しい確認暗証番号（確認のため再入力）",
    confirmationPinPurpose: "確認暗証番号は、振込の承認や設定の変更など、操作を確定するときに入力します。",
    pinMismatch: "{field}が2回の入力で一致しません。",
    pinsSame: "ログオン暗証番号と確認暗証番号は異なるものにしてください。",
    register: "登録する",
    tokenTitle: "ワンタイムパスワード（ソフトウェアトークン）の利用登録",
    tokenLead:
      "管理者の方はワンタイムパスワードのご利用が必須です。トークンアプリを使うスマートフォンのメールアドレスと、アプリの初期設定で入力する利用開始パスワード（4〜8桁の数字）を決めて入力してください。",
    mobileEmail: "スマートフォンのメールアドレス",
    activationPassword: "利用開始パスワード（4〜8桁の数字）",
    activationPasswordHint:
      "トークンアプリの初期設定で1回だけ使います。ほかの暗証番号とは異なる数字にしてください。",
    issue: "トークンを発行する",
    activationPasswordInvalid: "利用開始パスワードは4〜8桁の数字で入力してください。",
    issuedTitle: "トークンを発行しました",
    issuedLead:
      "スマートフォンのメールアドレスにトークンアプリのダウンロード案内をお送りしました。アプリを起動し、次のサービスIDとトークンIDと、お決めになった利用開始パスワードを入力して初期設定をしてください。",
    serviceId: "サービスID",
    tokenId: "トークンID",
    issuedNext:
      "初期設定が終わったら、アプリに表示されたワンタイムパスワードを次の画面で入力して利用を開始します。",
    toActivation: "利用開始の手続きへ",
    activateTitle: "トークンの利用開始",
    activateLead:
      "トークンアプリに表示されている8桁のワンタイムパスワードを入力してください。利用が開始され、次回からログオン時にワンタイムパスワードを入力します。",
    activate: "利用を開始する",
    certificateTitle: "電子証明書の取得",
    certificateLead:
      "このご契約は電子証明書方式です。電子証明書をお持ちでないため、ログオンの前に電子証明書を取得してください。",
    certificateCsrNote:
      "お客様のパソコンで作った鍵で申請する方法（推奨）は、証明書ツールからご利用ください。ここでは、銀行が鍵と証明書をパスワードで保護したファイル（PKCS#12、.p12）として発行する方法をご利用いただけます。",
    pkcs12Password: "ファイルを保護するパスワード（12文字以上）",
    pkcs12PasswordAgain: "ファイルを保護するパスワード（確認のため再入力）",
    pkcs12PasswordHint:
      "証明書をパソコンに取り込むときに入力します。忘れないよう管理し、他人に知らせないでください。",
    pkcs12Short: "パスワードは12文字以上で入力してください。",
    pkcs12Mismatch: "パスワードが2回の入力で一致しません。",
    pkcs12Issue: "電子証明書ファイルを発行する",
    pkcs12Done:
      "電子証明書ファイル（{file}）を発行しました。ダウンロードされない場合は下のリンクから保存してください。ブラウザまたはパソコンに取り込んだあと、ブラウザを再起動して、もう一度ログオンしてください。",
    pkcs12Download: "{file} を保存する",
    logonAgain: "ログオン画面に戻る",
    stepProgress: "ログオンの手続き：{step}",
  },
  {
    title: "Log on",
    lead: "Enter your contract ID, user ID and logon PIN. Administrators leave the user ID empty.",
    contractId: "Contract ID",
    contractIdHint: "11 digits",
    userId: "User ID",
    userIdHint: "1 to 30 half-width letters and digits. Administrators leave it empty.",
    pin: "Logon PIN",
    pinHint: "An administrator's first logon uses the registration PIN the bank sent.",
    submit: "Log on",
    sending: "Sending…",
    keyboardAdvice:
      "To keep malicious programs from capturing what you type, we recommend the software keyboard.",
    endedLogout: "You have logged off.",
    endedIdle: "You were logged off because the service was not used for a while. Please log on again.",
    endedExpired:
      "You were logged off because the longest time a logon may last is over. Please log on again.",
    endedUnauthenticated: "Your logon has expired or is no longer valid. Please log on again.",
    endedLocked: "You were logged off because your use was stopped.",
    endedContractStopped: "You were logged off because the contract was stopped. Please contact the bank.",
    invalidCredentials:
      "The contract ID, user ID or logon PIN is not correct. Repeated wrong entries stop your use.",
    emergencyTitle: "Emergency logon stop",
    emergencyLead:
      "If you fear that someone knows your PINs, you can stop your own logon without logging on. Enter the contract ID, your user ID (administrators leave it empty) and the e-mail address on record.",
    emergencyShow: "Stop my logon in an emergency",
    emergencyHide: "Close the emergency logon stop",
    email: "E-mail address on record",
    emergencySubmit: "Stop my logon",
    emergencyReceived:
      "Your emergency logon stop request has been received. If the details match our records, the logon is stopped and we write to the address on record. To resume, a user asks the administrator; the administrator asks the bank.",
    otpTitle: "One-time password",
    otpLead: "Enter the 8-digit one-time password your token app shows.",
    otp: "One-time password (8 digits)",
    next: "Next",
    cancelLogon: "Stop logging on",
    cardTitle: "Customer card",
    cardLead: "Look at your customer card and enter the 4-digit numbers at the positions asked.",
    cardCell: "Number at {position} on the card (4 digits)",
    setPinsTitle: "Set your PINs",
    setPinsLead:
      "Before you start, set a new logon PIN and a new confirmation PIN. Enter each twice to be sure.",
    pinRules:
      "PIN rules: 6 to 12 half-width letters and digits. Not one character repeated (111111 …), not a run (123456, abcdef …), not the contract ID or user ID, not the registration or initial PIN. The logon PIN and the confirmation PIN must differ.",
    newPin: "New logon PIN",
    newPinAgain: "New logon PIN (again, to be sure)",
    newConfirmationPin: "New confirmation PIN",
    newConfirmationPinAgain: "New confirmation PIN (again, to be sure)",
    confirmationPinPurpose:
      "The confirmation PIN confirms operations such as approving transfers and changing settings.",
    pinMismatch: "The two entries of the {field} do not match.",
    pinsSame: "The logon PIN and the confirmation PIN must be different.",
    register: "Register",
    tokenTitle: "Register a one-time password token",
    tokenLead:
      "Administrators must use one-time passwords. Enter the e-mail address of the phone that will run the token app, and choose an activation password (4 to 8 digits) that you will enter once when setting up the app.",
    mobileEmail: "E-mail address of the phone",
    activationPassword: "Activation password (4 to 8 digits)",
    activationPasswordHint: "Used once, to set up the token app. Choose digits unlike your PINs.",
    issue: "Issue the token",
    activationPasswordInvalid: "The activation password is 4 to 8 digits.",
    issuedTitle: "Your token has been issued",
    issuedLead:
      "We have sent the token app's download link to the phone's e-mail address. Open the app and set it up with the service ID and token ID below and the activation password you chose.",
    serviceId: "Service ID",
    tokenId: "Token ID",
    issuedNext:
      "When the app is set up, enter the one-time password it shows on the next screen to start using it.",
    toActivation: "Go on to activation",
    activateTitle: "Start using the token",
    activateLead:
      "Enter the 8-digit one-time password the token app shows. The token starts working, and from your next logon you enter its one-time password.",
    activate: "Start using it",
    certificateTitle: "Get a client certificate",
    certificateLead: "This contract uses client certificates. You have none yet: get one before you log on.",
    certificateCsrNote:
      "Applying with a key made on your own computer (recommended) is done with the certificate tool. Here the bank can issue the key and certificate as a password-protected file (PKCS#12, .p12).",
    pkcs12Password: "Password protecting the file (12 characters or more)",
    pkcs12PasswordAgain: "Password protecting the file (again, to be sure)",
    pkcs12PasswordHint: "You enter it when you install the certificate. Keep it safe and tell nobody.",
    pkcs12Short: "The password must be at least 12 characters.",
    pkcs12Mismatch: "The two entries of the password do not match.",
    pkcs12Issue: "Issue the certificate file",
    pkcs12Done:
      "The certificate file ({file}) has been issued. If it was not saved, use the link below. Install it in your browser or computer, restart the browser and log on again.",
    pkcs12Download: "Save {file}",
    logonAgain: "Back to the logon screen",
    stepProgress: "Logon step: {step}",
  },
);

export type LogonMessageKey = keyof typeof logonMessages.ja;
