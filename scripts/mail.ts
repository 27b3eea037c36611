// `npm run mail`: prints the mail the local SES endpoint of a running `npm start` has received.
export {};

const port = process.env.PORT || "3000";

interface StoredMail {
  at: number;
  destination?: { to?: string[]; cc?: string[]; bcc?: string[] };
  from?: string;
  subject?: string;
  body?: { text?: string; html?: string };
  messageId?: string;
  attachments?: { filename?: string; contentType?: string }[];
}

const main = async () => {
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${port}/local/mail`);
  } catch {
    console.error(`No corporate-ib at http://127.0.0.1:${port}: start it with npm start (or set PORT).`);
    process.exit(1);
  }
  if (!response.ok) {
    console.error(`The local mail endpoint answered ${response.status}: ${await response.text()}`);
    process.exit(1);
  }
  const { emails } = (await response.json()) as { emails: StoredMail[] };
  if (emails.length === 0) {
    console.log("No mail yet.");
    return;
  }
  for (const mail of emails) {
    console.log("─".repeat(72));
    console.log(`Date:    ${new Date(mail.at * 1000).toISOString()}`);
    console.log(`From:    ${mail.from ?? ""}`);
    console.log(`To:      ${(mail.destination?.to ?? []).join(", ")}`);
    console.log(`Subject: ${mail.subject ?? ""}`);
    // The mail program shows a signed mail's signature as an attachment: name it for what it is.
    if (mail.attachments?.some((attachment) => attachment.contentType === "application/pkcs7-signature"))
      console.log("Signed:  S/MIME (smime.p7s; verify it in a mail program or with openssl smime -verify)");
    console.log("");
    console.log(mail.body?.text ?? "(no text part)");
  }
  console.log("─".repeat(72));
  console.log(`${emails.length} mail(s).`);
};

await main();
